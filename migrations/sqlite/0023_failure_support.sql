-- Failure support (创业失败帮扶, task 2.3.4). A case for a returnee whose business closed: opened
-- with the business's closure (`business_id` set, one case per founder) or by hand for a business
-- not in the registry (`business_id` NULL, its name and closing day typed in). `street_code` is
-- the responsible street: the business's street, or the person's household street by hand.
-- Closed with an outcome (`outcome` NULL while open) and, for 再创业, the new business if it is
-- in the registry.
CREATE TABLE failure_cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id BIGINT NOT NULL REFERENCES persons (id),
    business_id BIGINT REFERENCES businesses (id),
    business_name TEXT NOT NULL,
    business_closed_on TEXT NOT NULL,
    close_reason TEXT NOT NULL,
    street_code TEXT NOT NULL REFERENCES units (code),
    opened_on TEXT NOT NULL,
    wants_restart BOOLEAN NOT NULL,
    outcome TEXT,
    closed_on TEXT,
    new_business_id BIGINT REFERENCES businesses (id),
    outcome_note TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    UNIQUE (business_id, person_id)
);
CREATE INDEX failure_cases_street ON failure_cases (street_code, opened_on);
CREATE INDEX failure_cases_person ON failure_cases (person_id);

-- A support step: its kind, the unit of 2.3.4 responsible for it, the planned day and, once
-- done, the day it was done (what 2.3.4.support_steps counts, for `unit_code`).
CREATE TABLE failure_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES failure_cases (id),
    kind TEXT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units (code),
    planned_on TEXT NOT NULL,
    done_on TEXT,
    note TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    done_by BIGINT REFERENCES users (id)
);
CREATE INDEX failure_steps_case ON failure_steps (case_id);
CREATE INDEX failure_steps_unit_day ON failure_steps (unit_code, done_on);

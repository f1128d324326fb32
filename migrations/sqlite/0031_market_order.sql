-- Labour-market order (人力资源市场秩序清理整顿, task 1.3.4).
--
-- A special action (专项行动) has a name, a lead unit, a period and its cooperating units
-- (comma-separated unit codes). Under an action, a unit of 1.3.4 inspects an HR agency or an
-- employer (`unit_code`, counted toward 1.3.4 on `inspected_on`): its findings, a penalty
-- (`penalty_kind`, `penalty_yuan` in whole 元, `legal_basis` required whenever there is one),
-- rectification required by `rectification_due` and done on `rectified_on`. A public complaint
-- about a job post may be opened as a case (查处案件, one per complaint) by 区人社局, linked to an
-- inspection, with its outcome. 区人社局 publishes notices on the portal (招聘求职陷阱提示 and
-- 违规典型案例) for a month's issue, each naming its source (an inspection or a complaint);
-- a notice counts toward 1.3.4 on `published_on`.
CREATE TABLE market_actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    lead_unit TEXT NOT NULL REFERENCES units (code),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    cooperating TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);

CREATE TABLE market_inspections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id BIGINT NOT NULL REFERENCES market_actions (id),
    unit_code TEXT NOT NULL REFERENCES units (code),
    inspected_on TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_name TEXT NOT NULL,
    target_uscc TEXT,
    findings TEXT NOT NULL,
    penalty_kind TEXT NOT NULL,
    penalty_yuan BIGINT NOT NULL,
    legal_basis TEXT NOT NULL,
    rectification_due TEXT,
    rectified_on TEXT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX market_inspections_unit ON market_inspections (unit_code, inspected_on);
CREATE INDEX market_inspections_action ON market_inspections (action_id);

CREATE TABLE market_cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    complaint_id BIGINT NOT NULL UNIQUE REFERENCES post_complaints (id),
    unit_code TEXT NOT NULL REFERENCES units (code),
    opened_on TEXT NOT NULL,
    inspection_id BIGINT REFERENCES market_inspections (id),
    outcome TEXT,
    decided_on TEXT,
    note TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);

CREATE TABLE market_notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units (code),
    issue_month TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    published_on TEXT NOT NULL,
    source_kind TEXT,
    source_id BIGINT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX market_notices_unit ON market_notices (unit_code, published_on);

-- Returnee title evaluation and the HR agencies' special actions (task 2.4.4).
--
-- A title application (职称评审申报) is taken in by a unit of 2.4.4 (`unit_code`) for a resident
-- of the out-migrant registry: series, speciality, level sought, the day it was submitted, the
-- evaluation committee it was forwarded to and the day; the committee's result (pending, passed
-- with `obtained_on`, failed) is recorded later. Applications count toward 2.4.4 (人次) for
-- `unit_code` on `forwarded_on`.
CREATE TABLE title_applications (
    id BIGSERIAL PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES persons (id),
    unit_code TEXT NOT NULL REFERENCES units (code),
    series TEXT NOT NULL,
    speciality TEXT NOT NULL,
    level TEXT NOT NULL,
    submitted_on DATE NOT NULL,
    committee TEXT NOT NULL,
    forwarded_on DATE NOT NULL,
    result TEXT NOT NULL DEFAULT 'pending',
    obtained_on DATE,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX title_applications_unit ON title_applications (unit_code, forwarded_on);

-- An HR agencies' special action (人力资源机构稳就业促创业专项行动), organised by a unit of
-- 2.4.4 over a period, with the agencies taking part (one name a line), and the services they
-- gave returnee businesses during it. Services count toward 2.4.4 (次) for the action's
-- `organiser` on `served_on`.
CREATE TABLE hr_actions (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    organiser TEXT NOT NULL REFERENCES units (code),
    agencies TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX hr_actions_organiser ON hr_actions (organiser, starts_on);

CREATE TABLE hr_services (
    id BIGSERIAL PRIMARY KEY,
    action_id BIGINT NOT NULL REFERENCES hr_actions (id),
    business_id BIGINT NOT NULL REFERENCES businesses (id),
    kind TEXT NOT NULL,
    served_on DATE NOT NULL,
    posts_offered BIGINT NOT NULL CHECK (posts_offered >= 0),
    recruited BIGINT NOT NULL CHECK (recruited >= 0),
    note TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX hr_services_action ON hr_services (action_id, served_on);

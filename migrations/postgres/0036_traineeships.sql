-- Traineeships and skills training of unplaced graduates (就业见习 / 就业技能培训, task 1.1.4).
--
-- 区人社局 recognises traineeship bases (an employer, with a USCC when known, in a street,
-- offering `places` traineeships a year in the posts named); the contact phone is sealed
-- like every phone. A graduate of the roster is placed at a base (`traineeships`): start,
-- planned end, actual end and outcome (ongoing, hired by the base, completed, quit), recorded
-- by `unit_code` (the graduate's street or 区人社局). A graduate may also be enrolled in a
-- skills-training course (`graduate_courses`). Each traineeship and course writes a 1131
-- service row of the item `training`, and counts toward 1.1.4.trainees (人次) for `unit_code`
-- on its start day.
CREATE TABLE traineeship_bases (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    employer TEXT NOT NULL,
    uscc TEXT,
    street_code TEXT NOT NULL REFERENCES units (code),
    places BIGINT NOT NULL,
    posts TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    contact_phone_enc BYTEA NOT NULL,
    recognised_on DATE NOT NULL,
    status TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE traineeships (
    id BIGSERIAL PRIMARY KEY,
    graduate_id BIGINT NOT NULL REFERENCES graduates (id),
    base_id BIGINT NOT NULL REFERENCES traineeship_bases (id),
    starts_on DATE NOT NULL,
    planned_end_on DATE NOT NULL,
    ended_on DATE,
    outcome TEXT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units (code),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX traineeships_graduate ON traineeships (graduate_id);
CREATE INDEX traineeships_base ON traineeships (base_id, starts_on);
CREATE INDEX traineeships_unit ON traineeships (unit_code, starts_on);

CREATE TABLE graduate_courses (
    id BIGSERIAL PRIMARY KEY,
    graduate_id BIGINT NOT NULL REFERENCES graduates (id),
    course TEXT NOT NULL,
    provider TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    result TEXT NOT NULL,
    certificate TEXT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units (code),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX graduate_courses_graduate ON graduate_courses (graduate_id);
CREATE INDEX graduate_courses_unit ON graduate_courses (unit_code, starts_on);

-- Campus programmes (任务 1.2.1 “创业培训进校园” and 1.1.2's 一校一策; issue 15 item 1).
-- Universities (高校) and the district's liaison stations at them (驻高校大学生就业创业服务联络站);
-- campus activities by kind, of which 政策宣传 fill 1.2.1.policy_events for the organising unit on
-- `held_on`; internship bases (实习实训基地); internship placements (实习实训), which fill
-- 1.2.1.interns for the organising unit on `starts_on`, a student (university + student number)
-- once per unit and year (`year` is starts_on's year, so that the rule needs no date function);
-- one recruitment plan per university and year (一校一策) and the campus fairs (recruitment
-- events of kind campus_fair) held at a university.
CREATE TABLE universities (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE campus_stations (
    id BIGSERIAL PRIMARY KEY,
    university_id BIGINT NOT NULL REFERENCES universities (id),
    host_unit TEXT NOT NULL REFERENCES units (code),
    contact_name TEXT NOT NULL,
    contact_phone_enc BYTEA,
    opened_on DATE NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE campus_activities (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    organiser TEXT NOT NULL REFERENCES units (code),
    university_id BIGINT NOT NULL REFERENCES universities (id),
    held_on DATE NOT NULL,
    participants BIGINT NOT NULL CHECK (participants >= 0),
    note TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX campus_activities_day ON campus_activities (organiser, held_on);

CREATE TABLE internship_bases (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    employer_id BIGINT REFERENCES employers (id),
    employer_name TEXT NOT NULL,
    partners TEXT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units (code),
    places BIGINT NOT NULL CHECK (places > 0),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE internships (
    id BIGSERIAL PRIMARY KEY,
    student_name TEXT NOT NULL,
    student_no TEXT NOT NULL,
    university_id BIGINT NOT NULL REFERENCES universities (id),
    major TEXT NOT NULL,
    employer_id BIGINT REFERENCES employers (id),
    employer_name TEXT NOT NULL,
    base_id BIGINT REFERENCES internship_bases (id),
    organiser TEXT NOT NULL REFERENCES units (code),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    year BIGINT NOT NULL,
    outcome TEXT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX internships_day ON internships (organiser, starts_on);
CREATE INDEX internships_student ON internships (organiser, university_id, student_no, year);

CREATE TABLE campus_plans (
    id BIGSERIAL PRIMARY KEY,
    university_id BIGINT NOT NULL REFERENCES universities (id),
    year BIGINT NOT NULL,
    disciplines TEXT NOT NULL,
    wishes TEXT NOT NULL,
    industries TEXT NOT NULL,
    fairs_planned BIGINT NOT NULL CHECK (fairs_planned >= 0),
    unit_code TEXT NOT NULL REFERENCES units (code),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (university_id, year)
);

CREATE TABLE campus_fair_links (
    event_id BIGINT PRIMARY KEY REFERENCES recruitment_events (id),
    university_id BIGINT NOT NULL REFERENCES universities (id)
);

-- The job platform (task 1.1.1, 1.1.2, 1.3.4, 2.5.4): job posts with review and fraud screening,
-- public complaints, applicants and their applications, recruitment events.

-- An indicator filled by a registry (plan file `registry`) takes no manual records.
ALTER TABLE indicators ADD COLUMN registry TEXT;

CREATE TABLE job_posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    occupation_group TEXT NOT NULL,
    occupation TEXT NOT NULL,
    industry_section TEXT NOT NULL,
    leading_industry TEXT NOT NULL,
    emerging BOOLEAN NOT NULL,
    positions BIGINT NOT NULL,
    education TEXT NOT NULL,
    experience TEXT NOT NULL,
    salary_min BIGINT NOT NULL,
    salary_max BIGINT NOT NULL,
    street_code TEXT NOT NULL REFERENCES units (code),
    contact_name TEXT NOT NULL,
    -- personal data: SM4-GCM encrypted, never in clear
    contact_phone_enc TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    raised_by TEXT NOT NULL REFERENCES units (code),
    status TEXT NOT NULL,
    risk_score BIGINT,
    risk_level TEXT,
    risk_reasons TEXT,
    review_note TEXT,
    override_reason TEXT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    reviewed_by BIGINT REFERENCES users (id),
    reviewed_at TEXT,
    published_at TEXT,
    closed_at TEXT
);
CREATE INDEX job_posts_employer ON job_posts (employer_id, id);
CREATE INDEX job_posts_status ON job_posts (status, published_at);
CREATE INDEX job_posts_raised ON job_posts (raised_by, published_at);

-- Every change of what the public search shows, in order; the search index follows it.
CREATE TABLE search_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id BIGINT NOT NULL REFERENCES job_posts (id)
);

-- 举报: anyone may report a post; reviewers handle the queue.
CREATE TABLE post_complaints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id BIGINT NOT NULL REFERENCES job_posts (id),
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    handled_by BIGINT REFERENCES users (id),
    handled_at TEXT,
    handling_note TEXT
);
CREATE INDEX post_complaints_status ON post_complaints (status, id);

-- Graduates and returnees who look for work; the phone is their login and personal data.
CREATE TABLE applicants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    phone_enc TEXT NOT NULL,
    phone_index TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    education TEXT NOT NULL,
    major TEXT NOT NULL,
    skills TEXT NOT NULL,
    wanted_job TEXT NOT NULL,
    wanted_street TEXT REFERENCES units (code),
    salary_expectation BIGINT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
ALTER TABLE users ADD COLUMN applicant_id BIGINT REFERENCES applicants (id);

CREATE TABLE applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id BIGINT NOT NULL REFERENCES job_posts (id),
    applicant_id BIGINT NOT NULL REFERENCES applicants (id),
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- kept as evidence of placement
    hired_at TEXT,
    UNIQUE (post_id, applicant_id)
);
CREATE INDEX applications_applicant ON applications (applicant_id, id);

CREATE TABLE application_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    status TEXT NOT NULL,
    at TEXT NOT NULL,
    by_user BIGINT NOT NULL REFERENCES users (id)
);

CREATE TABLE recruitment_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    organiser TEXT NOT NULL REFERENCES units (code),
    held_on TEXT NOT NULL,
    online BOOLEAN NOT NULL,
    place TEXT NOT NULL,
    attendance BIGINT NOT NULL,
    intentions BIGINT NOT NULL,
    note TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX recruitment_events_held ON recruitment_events (held_on);

CREATE TABLE event_employers (
    event_id BIGINT NOT NULL REFERENCES recruitment_events (id),
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    PRIMARY KEY (event_id, employer_id)
);

CREATE TABLE event_posts (
    event_id BIGINT NOT NULL REFERENCES recruitment_events (id),
    post_id BIGINT NOT NULL REFERENCES job_posts (id),
    PRIMARY KEY (event_id, post_id)
);

-- The foundation: the plan as data, accounts, sessions, tokens, audit log, progress records.
-- Same tables and columns as ../postgres/0001_foundation.sql (a test compares them).

CREATE TABLE plans (
    code TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    document_number TEXT NOT NULL,
    issuer TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    district_code TEXT NOT NULL,
    district_name TEXT NOT NULL,
    first_year BIGINT NOT NULL,
    last_year BIGINT NOT NULL,
    quarterly_due_working_days BIGINT NOT NULL,
    annual_due_month BIGINT NOT NULL,
    annual_due_day BIGINT NOT NULL,
    reporting_source TEXT NOT NULL,
    file_digest TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);

CREATE TABLE units (
    code TEXT NOT NULL PRIMARY KEY,
    district_code TEXT NOT NULL DEFAULT '420112',
    name TEXT NOT NULL,
    full_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    aliases TEXT NOT NULL,
    position BIGINT NOT NULL,
    active BOOLEAN NOT NULL
);

CREATE TABLE sections (
    code TEXT NOT NULL PRIMARY KEY,
    title TEXT NOT NULL,
    position BIGINT NOT NULL,
    active BOOLEAN NOT NULL
);

CREATE TABLE tasks (
    code TEXT NOT NULL PRIMARY KEY,
    section_code TEXT NOT NULL REFERENCES sections (code),
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    remark TEXT,
    position BIGINT NOT NULL,
    active BOOLEAN NOT NULL
);

CREATE TABLE task_units (
    task_code TEXT NOT NULL REFERENCES tasks (code),
    unit_code TEXT NOT NULL REFERENCES units (code),
    role TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (task_code, unit_code, role)
);

CREATE TABLE task_duties (
    task_code TEXT NOT NULL REFERENCES tasks (code),
    position BIGINT NOT NULL,
    unit_codes TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (task_code, position)
);

CREATE TABLE indicators (
    code TEXT NOT NULL PRIMARY KEY,
    task_code TEXT NOT NULL REFERENCES tasks (code),
    name TEXT NOT NULL,
    measure TEXT NOT NULL,
    comparator TEXT NOT NULL,
    target BIGINT NOT NULL,
    target_max BIGINT,
    period TEXT NOT NULL,
    aggregation TEXT NOT NULL,
    source TEXT NOT NULL,
    quotas_sum_to_target BOOLEAN NOT NULL,
    choice TEXT,
    position BIGINT NOT NULL,
    active BOOLEAN NOT NULL
);

CREATE TABLE quotas (
    indicator_code TEXT NOT NULL REFERENCES indicators (code),
    unit_code TEXT NOT NULL REFERENCES units (code),
    target BIGINT NOT NULL,
    position BIGINT NOT NULL,
    active BOOLEAN NOT NULL,
    PRIMARY KEY (indicator_code, unit_code)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    unit_code TEXT REFERENCES units (code),
    password_hash TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL,
    disabled BOOLEAN NOT NULL,
    failed_logins BIGINT NOT NULL,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    password_changed_at TEXT
);

CREATE TABLE sessions (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);

-- Append-only; every row's hash = SM3(previous hash, this row). See store/src/audit.rs.
CREATE TABLE audit_log (
    id BIGINT NOT NULL PRIMARY KEY,
    at TEXT NOT NULL,
    actor_user_id BIGINT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,
    ip TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

-- The newest chain link, so that deleting the last rows is detected too.
CREATE TABLE audit_head (
    singleton BIGINT NOT NULL PRIMARY KEY,
    last_id BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);

CREATE TABLE evidence_files (
    digest TEXT NOT NULL PRIMARY KEY,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    stored_at TEXT NOT NULL
);

CREATE TABLE progress_records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    district_code TEXT NOT NULL DEFAULT '420112',
    indicator_code TEXT NOT NULL REFERENCES indicators (code),
    unit_code TEXT NOT NULL REFERENCES units (code),
    value BIGINT NOT NULL,
    occurred_on TEXT NOT NULL,
    description TEXT NOT NULL,
    evidence_digest TEXT REFERENCES evidence_files (digest),
    evidence_name TEXT,
    corrects_id BIGINT REFERENCES progress_records (id),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    voided_at TEXT,
    voided_by BIGINT REFERENCES users (id),
    void_reason TEXT
);
CREATE INDEX progress_records_lookup ON progress_records (indicator_code, unit_code, occurred_on);

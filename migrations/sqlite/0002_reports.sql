-- Quarterly and annual reports of each unit, with their history.
-- Same tables and columns as ../postgres/0002_reports.sql.

CREATE TABLE reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    district_code TEXT NOT NULL DEFAULT '420112',
    unit_code TEXT NOT NULL REFERENCES units (code),
    period TEXT NOT NULL,
    status TEXT NOT NULL,
    progress TEXT NOT NULL,
    practices TEXT NOT NULL,
    problems TEXT NOT NULL,
    next_steps TEXT NOT NULL,
    figures TEXT,
    first_submitted_at TEXT,
    submitted_at TEXT,
    submitted_by BIGINT REFERENCES users (id),
    reviewed_at TEXT,
    reviewed_by BIGINT REFERENCES users (id),
    review_comment TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (unit_code, period)
);

CREATE TABLE report_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id BIGINT NOT NULL REFERENCES reports (id),
    at TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    action TEXT NOT NULL,
    comment TEXT NOT NULL
);
CREATE INDEX report_events_report ON report_events (report_id);

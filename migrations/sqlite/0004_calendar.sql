-- Working-day calendar years entered by an admin; they replace the same year of
-- calendar/cn-workdays.toml (the file stays the source on a fresh install).
CREATE TABLE calendar_years (
    year BIGINT NOT NULL PRIMARY KEY,
    source TEXT NOT NULL,
    holidays TEXT NOT NULL,
    working_days TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by BIGINT NOT NULL REFERENCES users (id)
);

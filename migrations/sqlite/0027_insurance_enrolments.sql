-- The social-insurance enrolment list (参保名单, issue 14 item 6), imported by 区人社局 from the
-- 社保 system: who is insured at which employer (by its USCC), for which kinds (失业、工伤、养老,
-- stored as codes, comma-separated), from the first day of the start month to the last day of
-- the end month (NULL while it goes on). The resident ID is sealed, with the same blind index as
-- `persons.id_number_index`, so that rows join to residents; `person_id` is set when the resident
-- was known at import. Re-importing a row (same person, employer and start) updates it.
CREATE TABLE insurance_enrolments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_number_enc BLOB NOT NULL,
    id_number_index BLOB NOT NULL,
    person_id BIGINT REFERENCES persons (id),
    name TEXT NOT NULL,
    employer_uscc TEXT NOT NULL,
    employer_name TEXT NOT NULL,
    kinds TEXT NOT NULL,
    started_on TEXT NOT NULL,
    ended_on TEXT,
    batch TEXT NOT NULL,
    imported_by BIGINT REFERENCES users (id),
    imported_at TEXT NOT NULL,
    UNIQUE (id_number_index, employer_uscc, started_on)
);
CREATE INDEX insurance_enrolments_employer ON insurance_enrolments (employer_uscc, started_on);

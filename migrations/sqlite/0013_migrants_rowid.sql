-- A survey row is keyed by its resident. Declared BIGINT PRIMARY KEY, SQLite kept the key in an
-- index of its own, written once more for every row a roster import adds; as INTEGER PRIMARY
-- KEY it is the table's rowid. Nothing refers to this table, so it is rebuilt in place.
CREATE TABLE migrants_rebuilt (
    person_id INTEGER PRIMARY KEY REFERENCES persons (id),
    province TEXT NOT NULL,
    city TEXT NOT NULL,
    section TEXT NOT NULL,
    occupation TEXT NOT NULL,
    skills TEXT NOT NULL,
    years_away BIGINT NOT NULL,
    intention TEXT NOT NULL,
    business_field TEXT NOT NULL,
    contact_consent BOOLEAN NOT NULL,
    surveyed_on TEXT NOT NULL,
    surveyed_by TEXT NOT NULL REFERENCES units (code),
    returned_on TEXT,
    updated_at TEXT NOT NULL
);
INSERT INTO migrants_rebuilt (person_id, province, city, section, occupation, skills, years_away,
    intention, business_field, contact_consent, surveyed_on, surveyed_by, returned_on, updated_at)
SELECT person_id, province, city, section, occupation, skills, years_away,
    intention, business_field, contact_consent, surveyed_on, surveyed_by, returned_on, updated_at
FROM migrants;
DROP TABLE migrants;
ALTER TABLE migrants_rebuilt RENAME TO migrants;

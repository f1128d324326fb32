-- no-transaction
-- A resident's id is a plain rowid, without AUTOINCREMENT: every insert into an AUTOINCREMENT
-- table reads and rewrites its row of sqlite_sequence, a cost a roster import paid once per
-- resident. Residents are never deleted, so no id is ever given twice either way.
-- Other tables refer to persons, so it is rebuilt the way SQLite documents (foreign keys off
-- for the swap, all of it in one transaction).
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE persons_rebuilt (
    id INTEGER PRIMARY KEY,
    id_number_enc TEXT NOT NULL,
    id_number_index TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    phone_enc TEXT,
    phone_index TEXT,
    street_code TEXT NOT NULL REFERENCES units (code),
    community TEXT NOT NULL,
    schooling TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO persons_rebuilt (id, id_number_enc, id_number_index, name, gender, birth_date,
    phone_enc, phone_index, street_code, community, schooling, created_at, updated_at)
SELECT id, id_number_enc, id_number_index, name, gender, birth_date,
    phone_enc, phone_index, street_code, community, schooling, created_at, updated_at
FROM persons;
DROP TABLE persons;
ALTER TABLE persons_rebuilt RENAME TO persons;
CREATE INDEX persons_street ON persons (street_code);
COMMIT;
PRAGMA foreign_keys = ON;

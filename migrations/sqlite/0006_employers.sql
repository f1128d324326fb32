-- Employers (用人单位), identified by their USCC (GB 32100). The contact's phone is personal data:
-- stored SM4-GCM encrypted with an HMAC-SM3 blind index, never in clear.
CREATE TABLE employers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    district_code TEXT NOT NULL DEFAULT '420112',
    uscc TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    industry_section TEXT NOT NULL,
    street_code TEXT NOT NULL REFERENCES units (code),
    contact_name TEXT NOT NULL,
    contact_phone_enc TEXT NOT NULL,
    contact_phone_index TEXT NOT NULL,
    status TEXT NOT NULL,
    review_note TEXT,
    created_at TEXT NOT NULL,
    reviewed_at TEXT,
    reviewed_by BIGINT REFERENCES users (id)
);
CREATE INDEX employers_phone_index ON employers (contact_phone_index);

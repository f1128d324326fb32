-- Gig work (零工) posted at a street's gig station (零工驿站, task 2.5.4): a short job paid by the
-- day or the piece. The station is the street (its staff post); the rate is in fen.
CREATE TABLE gig_posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    station TEXT NOT NULL REFERENCES units (code),
    title TEXT NOT NULL,
    work_street TEXT NOT NULL REFERENCES units (code),
    pay_basis TEXT NOT NULL,
    rate_fen BIGINT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    headcount BIGINT NOT NULL,
    contact_name TEXT NOT NULL,
    -- personal data: SM4-GCM encrypted, never in clear
    contact_phone_enc BLOB NOT NULL,
    note TEXT NOT NULL,
    closed BOOLEAN NOT NULL DEFAULT FALSE,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX gig_posts_open ON gig_posts (closed, ends_on);
CREATE INDEX gig_posts_station ON gig_posts (station, id);

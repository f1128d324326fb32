-- People (issue 5): residents identified by resident ID, the out-migrant registry, unplaced
-- graduates and their 1131 services. ID and phone numbers are SM4-GCM ciphertext (`*_enc`) with
-- an HMAC-SM3 blind index (`*_index`) for exact lookup; the key lives outside the database.

-- May this user see ID and phone numbers unmasked (each unmask is audited)?
ALTER TABLE users ADD COLUMN may_unmask BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE persons (
    id BIGSERIAL PRIMARY KEY,
    id_number_enc TEXT NOT NULL,
    id_number_index TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    birth_date DATE NOT NULL,
    phone_enc TEXT,
    phone_index TEXT,
    street_code TEXT NOT NULL REFERENCES units (code),
    community TEXT NOT NULL,
    schooling TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX persons_street ON persons (street_code);
CREATE INDEX persons_phone ON persons (phone_index);

CREATE TABLE migrants (
    person_id BIGINT PRIMARY KEY REFERENCES persons (id),
    province TEXT NOT NULL,
    city TEXT NOT NULL,
    section TEXT NOT NULL,
    occupation TEXT NOT NULL,
    skills TEXT NOT NULL,
    years_away BIGINT NOT NULL,
    intention TEXT NOT NULL,
    business_field TEXT NOT NULL,
    contact_consent BOOLEAN NOT NULL,
    surveyed_on DATE NOT NULL,
    surveyed_by TEXT NOT NULL REFERENCES units (code),
    returned_on DATE,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE graduates (
    id BIGSERIAL PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES persons (id),
    year BIGINT NOT NULL,
    school TEXT NOT NULL,
    major TEXT NOT NULL,
    degree TEXT NOT NULL,
    graduated_on DATE NOT NULL,
    wish TEXT NOT NULL,
    placement TEXT NOT NULL,
    placed_on DATE,
    placement_evidence TEXT NOT NULL,
    placement_application BIGINT REFERENCES applications (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (person_id, year)
);
CREATE INDEX graduates_year ON graduates (year);

CREATE TABLE graduate_services (
    id BIGSERIAL PRIMARY KEY,
    graduate_id BIGINT NOT NULL REFERENCES graduates (id),
    item TEXT NOT NULL,
    post_id BIGINT REFERENCES job_posts (id),
    done_on DATE NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units (code),
    user_id BIGINT NOT NULL REFERENCES users (id),
    note TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX graduate_services_graduate ON graduate_services (graduate_id);

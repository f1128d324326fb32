-- The “中国网谷杯” start-up contest (task 1.2.3): one edition a year, organised by the task's
-- lead unit (`organiser`), with its tracks; the entries registered on a track (the leader
-- optionally linked to a person of the graduate roster or out-migrant registry, the phone
-- sealed); the rounds (初赛、复赛、决赛) with their scale and judges; one score per entry and
-- round (the panel's average, in hundredths); the entries advanced into a later round; the award
-- of an entry of the final, and its landing as a returnee business; follow-on support.
--
-- An entry counts toward 1.2.3.entries for the edition's organiser on `registered_on`; a
-- landing toward 1.2.3.landed on `landed_on`.
CREATE TABLE contest_editions (
    id BIGSERIAL PRIMARY KEY,
    year BIGINT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    organiser TEXT NOT NULL REFERENCES units (code),
    opens_on DATE NOT NULL,
    closes_on DATE NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE contest_tracks (
    id BIGSERIAL PRIMARY KEY,
    edition_id BIGINT NOT NULL REFERENCES contest_editions (id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (edition_id, name)
);

CREATE TABLE contest_entries (
    id BIGSERIAL PRIMARY KEY,
    edition_id BIGINT NOT NULL REFERENCES contest_editions (id),
    track_id BIGINT NOT NULL REFERENCES contest_tracks (id),
    project TEXT NOT NULL,
    team TEXT NOT NULL,
    leader TEXT NOT NULL,
    school TEXT NOT NULL,
    field TEXT NOT NULL,
    brief TEXT NOT NULL,
    person_id BIGINT REFERENCES persons (id),
    phone_enc BYTEA,
    registered_on DATE NOT NULL,
    award_grade TEXT,
    award_amount BIGINT,
    awarded_on DATE,
    business_id BIGINT REFERENCES businesses (id),
    landed_on DATE,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX contest_entries_edition ON contest_entries (edition_id, track_id);
CREATE INDEX contest_entries_registered ON contest_entries (registered_on);
CREATE INDEX contest_entries_landed ON contest_entries (landed_on);
CREATE INDEX contest_entries_business ON contest_entries (business_id);

CREATE TABLE contest_rounds (
    id BIGSERIAL PRIMARY KEY,
    edition_id BIGINT NOT NULL REFERENCES contest_editions (id),
    stage TEXT NOT NULL,
    scale BIGINT NOT NULL,
    judges TEXT NOT NULL,
    held_on DATE NOT NULL,
    UNIQUE (edition_id, stage)
);

CREATE TABLE contest_scores (
    round_id BIGINT NOT NULL REFERENCES contest_rounds (id),
    entry_id BIGINT NOT NULL REFERENCES contest_entries (id),
    score BIGINT NOT NULL,
    scored_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (round_id, entry_id)
);

-- An entry in a round after the edition's first: it advanced into it.
CREATE TABLE contest_advances (
    round_id BIGINT NOT NULL REFERENCES contest_rounds (id),
    entry_id BIGINT NOT NULL REFERENCES contest_entries (id),
    advanced_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (round_id, entry_id)
);

CREATE TABLE contest_support (
    id BIGSERIAL PRIMARY KEY,
    entry_id BIGINT NOT NULL REFERENCES contest_entries (id),
    kind TEXT NOT NULL,
    given_on DATE NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units (code),
    note TEXT NOT NULL,
    amount BIGINT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX contest_support_entry ON contest_support (entry_id);

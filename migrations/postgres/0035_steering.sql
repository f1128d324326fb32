-- The task force's steering (issue 15 item 8; core::steering).
--
-- A supervision item (督办) is raised on a unit, perhaps about one indicator of a year, with
-- the problem, the action required, the time limit in working days and the due date counted
-- from it; the unit answers (`response`, evidence by SM3 digest in `evidence_files`), the task
-- force closes or escalates it. Every step is kept in `supervision_steps`.
CREATE TABLE supervision_items (
    id BIGSERIAL PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES units (code),
    indicator_code TEXT,
    year BIGINT NOT NULL,
    problem TEXT NOT NULL,
    action TEXT NOT NULL,
    working_days BIGINT NOT NULL,
    raised_on DATE NOT NULL,
    due_on DATE NOT NULL,
    status TEXT NOT NULL,
    response TEXT NOT NULL DEFAULT '',
    evidence_digest TEXT REFERENCES evidence_files (digest),
    evidence_name TEXT,
    answered_on DATE,
    closed_on DATE,
    raised_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX supervision_items_unit ON supervision_items (unit_code, status);

CREATE TABLE supervision_steps (
    id BIGSERIAL PRIMARY KEY,
    item_id BIGINT NOT NULL REFERENCES supervision_items (id),
    kind TEXT NOT NULL,
    note TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX supervision_steps_item ON supervision_steps (item_id);

-- A joint meeting reviewing a quarter: `figures` is the district's progress as of the
-- quarter's end, frozen as JSON when the meeting is recorded; `items` the supervision items
-- open or raised in the quarter, with their state then, also frozen.
CREATE TABLE meetings (
    id BIGSERIAL PRIMARY KEY,
    held_on DATE NOT NULL,
    quarter TEXT NOT NULL,
    chair TEXT NOT NULL,
    attendees TEXT NOT NULL,
    minutes TEXT NOT NULL,
    figures TEXT NOT NULL,
    items TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE meeting_decisions (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    text TEXT NOT NULL,
    owner_unit TEXT NOT NULL REFERENCES units (code),
    due_on DATE NOT NULL
);
CREATE INDEX meeting_decisions_meeting ON meeting_decisions (meeting_id);

CREATE TABLE publicity_items (
    id BIGSERIAL PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES units (code),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    outlet TEXT NOT NULL,
    published_on DATE NOT NULL,
    link TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX publicity_items_published ON publicity_items (published_on);

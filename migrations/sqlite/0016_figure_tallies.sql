-- Figures kept as tallies (issue 12, item 8): what the dashboard, reports and assessment add up,
-- per source, unit and day, and again per month, maintained in the transaction of every write
-- that changes a figure (see crates/store/src/figures.rs). A view reads whole months and the
-- days of partial months: in proportion to units × indicators, not to records.
--   kind: record (code = indicator), posts, emerging (code empty), event (code = event kind),
--         training (code = training kind), placed and roster (code = roster year)
--   total: the sum of the figures' values; records: how many figures;
--   latest_id, latest_value: the figure latest by (date, id), for indicators that take the latest.
CREATE TABLE figure_days (
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    day TEXT NOT NULL,
    total BIGINT NOT NULL,
    records BIGINT NOT NULL,
    latest_id BIGINT NOT NULL,
    latest_value BIGINT NOT NULL,
    PRIMARY KEY (kind, code, unit_code, day)
);
CREATE INDEX figure_days_kind_day ON figure_days (kind, day);

CREATE TABLE figure_months (
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    month TEXT NOT NULL,
    last_day TEXT NOT NULL,
    total BIGINT NOT NULL,
    records BIGINT NOT NULL,
    latest_id BIGINT NOT NULL,
    latest_value BIGINT NOT NULL,
    PRIMARY KEY (kind, code, unit_code, month)
);
CREATE INDEX figure_months_kind_month ON figure_months (kind, month);

-- Set while the tallies wait to be built from the rows: the first start after this migration
-- builds them (Store::open), in one transaction, and clears it.
CREATE TABLE figure_rebuild (
    singleton BIGINT PRIMARY KEY,
    pending BOOLEAN NOT NULL
);
INSERT INTO figure_rebuild (singleton, pending) VALUES (1, TRUE);

-- What a write's recount of one day looks up.
CREATE INDEX training_attendees_person ON training_attendees (person_id);
CREATE INDEX trainings_organiser_held ON trainings (organiser, held_on);
CREATE INDEX recruitment_events_organiser_held ON recruitment_events (organiser, held_on);
CREATE INDEX graduates_placed ON graduates (year, placed_on);

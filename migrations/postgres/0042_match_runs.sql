-- Matching batches (人岗匹配批量运行, issue 16 items 4 and 6): `linkong match run` and the
-- nightly job score every unplaced graduate of the year and every returnee seeking a job
-- (intention 返区就业) against the open posts and keep each person's top N here, so that push
-- lists read the last run at once.
--
-- `match_runs` is one row per run: when, for which street (NULL: the district), how many
-- persons, posts and results, how long it took and who started it (command or nightly).
-- `match_results` holds only the latest list of each person: a run deletes the results of its
-- street (or of the district) and writes its own. `person_kind` is graduate (`person_ref` =
-- graduates.id) or returnee (`person_ref` = persons.id); the score is kept in tenths of a
-- point, the reasons and warnings one per line. A post closed since the run is left out
-- when the results are read.
CREATE TABLE match_runs (
    id BIGSERIAL PRIMARY KEY,
    run_at TIMESTAMPTZ NOT NULL,
    street_code TEXT REFERENCES units (code),
    top_n BIGINT NOT NULL,
    persons BIGINT NOT NULL,
    posts BIGINT NOT NULL,
    results BIGINT NOT NULL,
    millis BIGINT NOT NULL,
    started_by TEXT NOT NULL
);

CREATE TABLE match_results (
    run_id BIGINT NOT NULL REFERENCES match_runs (id),
    person_kind TEXT NOT NULL,
    person_ref BIGINT NOT NULL,
    street_code TEXT NOT NULL REFERENCES units (code),
    rank BIGINT NOT NULL,
    post_id BIGINT NOT NULL REFERENCES job_posts (id),
    score_tenths BIGINT NOT NULL,
    reasons TEXT NOT NULL,
    warnings TEXT NOT NULL,
    PRIMARY KEY (person_kind, person_ref, rank)
);
CREATE INDEX match_results_street ON match_results (street_code);

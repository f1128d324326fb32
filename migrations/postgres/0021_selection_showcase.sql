-- The yearly selection round of returnee start-up projects (task 2.5.2) and the showcase cases
-- (task 2.5.3), issue 13 item 9.
--
-- A selection entry is a returnee business's project recommended by one of the 21 units in the
-- round of `year`; `route` (agricultural or other) names the lead unit that gathers it (区农业
-- 农村局 or 区人社局), decided at the recommendation. A business is recommended once a round. An
-- entry counts toward 2.5.2 for `recommender` on `recommended_on`, whatever its status.
-- `shortlisted_on` is the day the lead decided on the shortlist, in (shortlisted) or not (with
-- `pass_note`); `sent_on` the day the shortlist went upward; `decided_on` the outcome's day.
CREATE TABLE selection_entries (
    id BIGSERIAL PRIMARY KEY,
    year BIGINT NOT NULL,
    business_id BIGINT NOT NULL REFERENCES businesses (id),
    recommender TEXT NOT NULL REFERENCES units (code),
    title TEXT NOT NULL,
    reason TEXT NOT NULL,
    route TEXT NOT NULL,
    status TEXT NOT NULL,
    recommended_on DATE NOT NULL,
    shortlisted_on DATE,
    pass_note TEXT NOT NULL,
    sent_on DATE,
    decided_on DATE,
    outcome_note TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (year, business_id)
);
CREATE INDEX selection_entries_recommender ON selection_entries (recommender, recommended_on);
CREATE INDEX selection_entries_business ON selection_entries (business_id);

-- A showcase case: a returnee business and its founder (a person of the out-migrant registry),
-- the story and the consent the founder gave (who, when, for the portal and/or the media).
-- It counts toward 2.5.3 for `recommender` on `recommended_on`. It is on the portal while
-- `published_on` is set (by 区委宣传部 or 区融媒体中心, `published_by`).
CREATE TABLE showcase_cases (
    id BIGSERIAL PRIMARY KEY,
    business_id BIGINT NOT NULL REFERENCES businesses (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    recommender TEXT NOT NULL REFERENCES units (code),
    title TEXT NOT NULL,
    story TEXT NOT NULL,
    consent_by TEXT NOT NULL,
    consent_on DATE NOT NULL,
    consent_portal BOOLEAN NOT NULL,
    consent_media BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    recommended_on DATE NOT NULL,
    collected_on DATE,
    nominated_on DATE,
    decided_on DATE,
    outcome_note TEXT NOT NULL,
    published_on DATE,
    published_by TEXT REFERENCES units (code),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX showcase_cases_recommender ON showcase_cases (recommender, recommended_on);
CREATE INDEX showcase_cases_business ON showcase_cases (business_id);
CREATE INDEX showcase_cases_person ON showcase_cases (person_id);
CREATE INDEX showcase_cases_published ON showcase_cases (published_on);

-- A case's photos, kept like evidence files (by content, in `evidence_files`), in order.
CREATE TABLE showcase_photos (
    case_id BIGINT NOT NULL REFERENCES showcase_cases (id),
    position BIGINT NOT NULL,
    digest TEXT NOT NULL REFERENCES evidence_files (digest),
    file_name TEXT NOT NULL,
    PRIMARY KEY (case_id, position)
);

-- Returnee businesses and the project library (issue 13, items 1 and 2).
--
-- A returnee business (返区创业主体) is kept by its street, or by a unit leading part 二 of the
-- plan; its founders are residents of the out-migrant registry. `forms` holds the plan's new
-- business forms as codes separated by commas. `site` is free text for now: a reference to a
-- start-up carrier comes with the carriers registry.
CREATE TABLE businesses (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    uscc TEXT NOT NULL UNIQUE,
    licensed_on DATE NOT NULL,
    legal_form TEXT NOT NULL,
    section TEXT NOT NULL,
    forms TEXT NOT NULL,
    street_code TEXT NOT NULL REFERENCES units (code),
    site TEXT NOT NULL,
    status TEXT NOT NULL,
    status_on DATE NOT NULL,
    close_reason TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX businesses_street ON businesses (street_code);

CREATE TABLE business_founders (
    business_id BIGINT NOT NULL REFERENCES businesses (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    -- the order the founders were named in (the first is the main founder)
    position BIGINT NOT NULL,
    PRIMARY KEY (business_id, person_id)
);
CREATE INDEX business_founders_person ON business_founders (person_id);

-- Employees over time: one snapshot a day at most (a later entry of the same day replaces it).
CREATE TABLE business_employment (
    business_id BIGINT NOT NULL REFERENCES businesses (id),
    counted_on DATE NOT NULL,
    headcount BIGINT NOT NULL,
    insured BIGINT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (business_id, counted_on)
);

CREATE TABLE business_status_changes (
    id BIGSERIAL PRIMARY KEY,
    business_id BIGINT NOT NULL REFERENCES businesses (id),
    status TEXT NOT NULL,
    changed_on DATE NOT NULL,
    reason TEXT NOT NULL,
    changed_by BIGINT NOT NULL REFERENCES users (id),
    changed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX business_status_changes_business ON business_status_changes (business_id);

-- The project library (创业项目库, task 2.1.2). Investment in hundredths of 万元. A project
-- counts for its source unit on `screened_on` once screened in (status screened_in, published
-- or adopted); a dropped one keeps its screening day and reason but never counts.
CREATE TABLE projects (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    section TEXT NOT NULL,
    investment_min BIGINT NOT NULL,
    investment_max BIGINT NOT NULL,
    expected_jobs BIGINT NOT NULL,
    outlook TEXT NOT NULL,
    site_needs TEXT NOT NULL,
    policies TEXT NOT NULL,
    source_unit TEXT NOT NULL REFERENCES units (code),
    agricultural BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    screened_on DATE,
    drop_reason TEXT NOT NULL,
    published_at TIMESTAMPTZ,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX projects_source_screened ON projects (source_unit, screened_on);
CREATE INDEX projects_status ON projects (status);

CREATE TABLE project_adoptions (
    project_id BIGINT NOT NULL REFERENCES projects (id),
    business_id BIGINT NOT NULL REFERENCES businesses (id),
    adopted_on DATE NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (project_id, business_id)
);
CREATE INDEX project_adoptions_business ON project_adoptions (business_id);

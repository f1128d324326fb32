-- The expert pool (task 2.1.3) with the services its experts give returnees, and the returnee
-- service window (返乡创业服务专窗, task 2.3.1) with referrals and their follow-ups (issue 13).
-- Phone numbers are SM4-GCM ciphertext as bytes (`*_enc`), shown masked; no blind index, as
-- nobody looks an expert or a walk-in up by phone.

CREATE TABLE experts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    field TEXT NOT NULL,
    organisation TEXT NOT NULL,
    title TEXT NOT NULL,
    -- service codes, comma-separated (policy,technical,…)
    services TEXT NOT NULL,
    availability TEXT NOT NULL,
    intro TEXT NOT NULL,
    phone_enc BLOB NOT NULL,
    -- what the expert agreed to publish on the portal, item by item
    public_name BOOLEAN NOT NULL,
    public_organisation BOOLEAN NOT NULL,
    public_title BOOLEAN NOT NULL,
    public_field BOOLEAN NOT NULL,
    public_services BOOLEAN NOT NULL,
    public_intro BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    recommended_by TEXT NOT NULL REFERENCES units (code),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX experts_recommended_by ON experts (recommended_by);

CREATE TABLE expert_services (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    expert_id BIGINT NOT NULL REFERENCES experts (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    served_on TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- hours in hundredths (1.5 h = 150)
    hours BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES units (code),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX expert_services_unit_day ON expert_services (recorded_by, served_on);
CREATE INDEX expert_services_day ON expert_services (served_on);
CREATE INDEX expert_services_expert ON expert_services (expert_id);
CREATE INDEX expert_services_person ON expert_services (person_id);

-- A visit: a registered resident (person_id) or a walk-in (visitor_name, phone_enc, street_code,
-- the street they give, NULL from outside the district). A portal question waits with no
-- `logged_by` and an empty answer until a keeper answers it; `asked_from` is the SM3 digest of
-- the asking address, kept only to limit how often one address asks.
CREATE TABLE window_visits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id BIGINT REFERENCES persons (id),
    visitor_name TEXT NOT NULL,
    phone_enc BLOB,
    street_code TEXT REFERENCES units (code),
    visited_on TEXT NOT NULL,
    topic TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    from_portal BOOLEAN NOT NULL,
    asked_from TEXT,
    logged_by TEXT REFERENCES units (code),
    answered_at TEXT,
    referred_to TEXT REFERENCES units (code),
    due_on TEXT,
    closed_on TEXT,
    result TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX window_visits_unit_day ON window_visits (logged_by, visited_on);
CREATE INDEX window_visits_day ON window_visits (visited_on);
CREATE INDEX window_visits_person ON window_visits (person_id);
CREATE INDEX window_visits_referred ON window_visits (referred_to, closed_on);
CREATE INDEX window_visits_asked ON window_visits (asked_from, created_at);

CREATE TABLE window_follow_ups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    visit_id BIGINT NOT NULL REFERENCES window_visits (id),
    done_on TEXT NOT NULL,
    note TEXT NOT NULL,
    closes BOOLEAN NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units (code),
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX window_follow_ups_visit ON window_follow_ups (visit_id);

-- Subsidy applications from filing to payment (issue 14 items 5, 6, 8).
--
-- An application names a policy of the rules file (`policy_id`, its title and category kept as
-- filed) and who applies: an employer (`employer_id`, for hiring the graduate `person_id`), a
-- returnee business (`business_id`) or a person (`person_id`). `decision` is the rule's
-- decision with its trace as JSON, `rule_version` the rules file's version, `amount_fen` the
-- approved amount in 分; `known_facts` lists the facts taken from the registries (the others
-- were declared). `claim_key` says what may be claimed once (a graduate within a benefit
-- group, a business or a person within a policy): unique among applications not rejected.
-- `status` with `status_on` (the day of the last step); `notice_from`/`notice_until` the 公示;
-- `counted_for` the district unit whose figure the payment is. `channel`: portal, window or
-- offer (免申即享).
CREATE TABLE subsidy_applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    policy_id TEXT NOT NULL,
    policy_title TEXT NOT NULL,
    category TEXT NOT NULL,
    channel TEXT NOT NULL,
    applicant_kind TEXT NOT NULL,
    employer_id BIGINT REFERENCES employers (id),
    business_id BIGINT REFERENCES businesses (id),
    person_id BIGINT REFERENCES persons (id),
    street_code TEXT NOT NULL REFERENCES units (code),
    counted_for TEXT NOT NULL REFERENCES units (code),
    claim_key TEXT NOT NULL,
    applied_on TEXT NOT NULL,
    rule_version TEXT NOT NULL,
    decision TEXT NOT NULL,
    known_facts TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    status TEXT NOT NULL,
    status_on TEXT NOT NULL,
    notice_from TEXT,
    notice_until TEXT,
    reason TEXT NOT NULL,
    paid_fen BIGINT,
    paid_on TEXT,
    created_by BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX subsidy_applications_claim ON subsidy_applications (claim_key) WHERE status <> 'rejected';
CREATE INDEX subsidy_applications_status ON subsidy_applications (status, street_code);
CREATE INDEX subsidy_applications_paid ON subsidy_applications (counted_for, paid_on);
CREATE INDEX subsidy_applications_employer ON subsidy_applications (employer_id);
CREATE INDEX subsidy_applications_business ON subsidy_applications (business_id);

-- The dated history: each step with its day, who took it and a note (a reason, an answer).
CREATE TABLE subsidy_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES subsidy_applications (id),
    step TEXT NOT NULL,
    done_on TEXT NOT NULL,
    note TEXT NOT NULL,
    done_by BIGINT REFERENCES users (id),
    done_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX subsidy_steps_application ON subsidy_steps (application_id);

-- Objections lodged on the public 公示 page; `contact_enc` is encrypted (it may be a phone).
CREATE TABLE subsidy_objections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES subsidy_applications (id),
    lodged_on TEXT NOT NULL,
    text TEXT NOT NULL,
    contact_enc BLOB,
    answer TEXT,
    upheld BOOLEAN,
    answered_on TEXT,
    answered_by BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX subsidy_objections_application ON subsidy_objections (application_id);

-- 区财政局's payment: one per application, at most the approved amount; the account is
-- encrypted, its last four digits kept for the mask.
CREATE TABLE subsidy_payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL UNIQUE REFERENCES subsidy_applications (id),
    amount_fen BIGINT NOT NULL,
    paid_on TEXT NOT NULL,
    account_enc BLOB NOT NULL,
    account_tail TEXT NOT NULL,
    paid_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);

-- The notification outbox: portal messages (read on the portal) and SMS (phone encrypted),
-- sent by a gateway that marks `sent_at`; the default gateway only keeps them here.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    employer_id BIGINT REFERENCES employers (id),
    person_id BIGINT REFERENCES persons (id),
    phone_enc BLOB,
    body TEXT NOT NULL,
    application_id BIGINT REFERENCES subsidy_applications (id),
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX notifications_employer ON notifications (employer_id);

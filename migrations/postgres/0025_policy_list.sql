-- The policy list (政策清单, issue 14 item 1; tasks 1.3.1, 2.3.1), kept by 区科服中心: each
-- entry's current version and where it stands (draft, published, withdrawn), and every version
-- ever saved, numbered from 1, with who saved it, when and which fields changed. Audiences are
-- space-separated codes (graduate returnee employer); documents one per line.
CREATE TABLE policy_entries (
    id BIGSERIAL PRIMARY KEY,
    version BIGINT NOT NULL,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    document_number TEXT NOT NULL,
    issuer TEXT NOT NULL,
    effective_from DATE NOT NULL,
    effective_to DATE,
    audiences TEXT NOT NULL,
    benefit TEXT NOT NULL,
    conditions TEXT NOT NULL,
    documents TEXT NOT NULL,
    handling_unit TEXT NOT NULL REFERENCES units (code),
    rule_id TEXT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    published_at TIMESTAMPTZ
);
CREATE INDEX policy_entries_status ON policy_entries (status);

CREATE TABLE policy_entry_versions (
    entry_id BIGINT NOT NULL REFERENCES policy_entries (id),
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    document_number TEXT NOT NULL,
    issuer TEXT NOT NULL,
    effective_from DATE NOT NULL,
    effective_to DATE,
    audiences TEXT NOT NULL,
    benefit TEXT NOT NULL,
    conditions TEXT NOT NULL,
    documents TEXT NOT NULL,
    handling_unit TEXT NOT NULL,
    rule_id TEXT,
    changed TEXT NOT NULL,
    saved_by BIGINT NOT NULL REFERENCES users (id),
    saved_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (entry_id, version)
);

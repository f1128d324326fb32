-- Start-up carriers (创业载体, tasks 1.2.2 and 2.4.1, issue 13 item 3).
--
-- A carrier is kept by its street, or by 区经科局, 区农业农村局 or 区人社局 for any street.
-- `area` is in hundredths of ㎡, `rent` in hundredths of 元/㎡·月 (NULL: the rent is said in
-- `rent_note` only, e.g. 免租金). `phone` is the office's landline, published on the portal:
-- core refuses a mobile number here, so no person's phone is kept in clear.
CREATE TABLE carriers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    name TEXT NOT NULL UNIQUE,
    operator TEXT NOT NULL,
    address TEXT NOT NULL,
    street_code TEXT NOT NULL REFERENCES units (code),
    area BIGINT NOT NULL,
    places BIGINT NOT NULL,
    rent BIGINT,
    rent_note TEXT NOT NULL,
    services TEXT NOT NULL,
    level TEXT NOT NULL,
    contact TEXT NOT NULL,
    phone TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX carriers_street ON carriers (street_code);

-- A returnee business's stay in a carrier. A business is in one carrier at a time: at most
-- one stay without a move-out. A stay counts toward 2.4.1 for the carrier's street on the
-- move-in day, if it is the business's first move-in of that year.
CREATE TABLE carrier_stays (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    carrier_id BIGINT NOT NULL REFERENCES carriers (id),
    business_id BIGINT NOT NULL REFERENCES businesses (id),
    moved_in_on TEXT NOT NULL,
    moved_out_on TEXT,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX carrier_stays_carrier ON carrier_stays (carrier_id, moved_in_on);
CREATE INDEX carrier_stays_business ON carrier_stays (business_id, moved_in_on);
CREATE INDEX carrier_stays_moved_in ON carrier_stays (moved_in_on);
CREATE UNIQUE INDEX carrier_stays_open ON carrier_stays (business_id) WHERE moved_out_on IS NULL;

-- The business's site as a carrier, while it stays in one; `site` stays free text for sites
-- that are not carriers (柏泉茅庙集).
ALTER TABLE businesses ADD COLUMN carrier_id BIGINT REFERENCES carriers (id);

-- Applications for municipal recognition (市级创业孵化基地 1.2.2, 市级返乡创业园 2.4.1), stage
-- by stage. `counted_for` is the unit an approval counts for (core: the lead unit of the
-- kind's task), on `approved_on`; `reason` says why one did not pass.
CREATE TABLE carrier_applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    carrier_id BIGINT NOT NULL REFERENCES carriers (id),
    kind TEXT NOT NULL,
    recommended_by TEXT NOT NULL REFERENCES units (code),
    counted_for TEXT NOT NULL REFERENCES units (code),
    stage TEXT NOT NULL,
    stage_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    approved_on TEXT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX carrier_applications_carrier ON carrier_applications (carrier_id);
CREATE INDEX carrier_applications_approved ON carrier_applications (kind, counted_for, approved_on);

CREATE TABLE carrier_application_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES carrier_applications (id),
    stage TEXT NOT NULL,
    stepped_on TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX carrier_application_steps_application ON carrier_application_steps (application_id);

-- The application's documents (申报材料) by name and date; the files stay with the units.
CREATE TABLE carrier_application_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES carrier_applications (id),
    name TEXT NOT NULL,
    dated_on TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX carrier_application_documents_application ON carrier_application_documents (application_id);

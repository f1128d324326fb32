-- The guaranteed start-up loan ledger (创业担保贷款台账, task 2.4.2; issue 14 item 7). A loan is
-- recorded by the unit that handled it (`unit_code`: 区人社局 or a cooperating unit of 2.4.2) and
-- counts for that unit's 2.4.2.guaranteed_loans on `issued_on`, its principal in hundredths of
-- 万元 (principal_fen / 10000: principals are whole hundreds of 元). The borrower is a person of
-- the registry (their ID encrypted in `persons`; also the lead of a partnership of `partners`)
-- or a returnee business of the registry (by USCC). `decisions` keeps, as JSON, the rules'
-- decisions with their traces and rule version: the guaranteed_loan cap (`cap_fen`) and rate
-- ceiling, and the counter-guarantee waiver (`waived_by`: the waiver policy that applied, NULL:
-- a counter-guarantee is required). `subsidy_bp` is the annual rate the state subsidises.
CREATE TABLE loans (
    id BIGSERIAL PRIMARY KEY,
    borrower_kind TEXT NOT NULL,
    person_id BIGINT REFERENCES persons (id),
    business_id BIGINT REFERENCES businesses (id),
    partners BIGINT NOT NULL,
    bank TEXT NOT NULL,
    principal_fen BIGINT NOT NULL CHECK (principal_fen > 0 AND principal_fen % 10000 = 0),
    term_months BIGINT NOT NULL CHECK (term_months > 0),
    rate_bp BIGINT NOT NULL CHECK (rate_bp > 0),
    issued_on DATE NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units (code),
    incubator_project BOOLEAN NOT NULL,
    honoured BOOLEAN NOT NULL,
    cap_fen BIGINT NOT NULL,
    waived_by TEXT,
    rule_version TEXT NOT NULL,
    decisions TEXT NOT NULL,
    subsidy_bp BIGINT NOT NULL,
    defaulted_on DATE,
    default_note TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    CHECK ((person_id IS NULL) <> (business_id IS NULL))
);
CREATE INDEX loans_unit_day ON loans (unit_code, issued_on);
CREATE INDEX loans_person ON loans (person_id);
CREATE INDEX loans_business ON loans (business_id);

-- The interest-subsidy schedule, laid out when the loan is recorded: the subsidy due per period.
CREATE TABLE loan_subsidy_periods (
    loan_id BIGINT NOT NULL REFERENCES loans (id),
    period BIGINT NOT NULL,
    from_on DATE NOT NULL,
    due_on DATE NOT NULL,
    due_fen BIGINT NOT NULL,
    PRIMARY KEY (loan_id, period)
);

-- Money moving on a loan: subsidy paid for a period (`subsidy`), principal repaid
-- (`repayment`), the guarantee fund's claim paid (`claim`, 代偿). Arrears are derived.
CREATE TABLE loan_payments (
    id BIGSERIAL PRIMARY KEY,
    loan_id BIGINT NOT NULL REFERENCES loans (id),
    kind TEXT NOT NULL,
    period BIGINT,
    paid_on DATE NOT NULL,
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX loan_payments_loan ON loan_payments (loan_id, kind);

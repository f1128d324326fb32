-- Mentoring of returnee businesses (跟踪陪跑, task 2.3.2).
--
-- A mentoring follows one returnee business from `started_on` to `ended_on` (with `outcome`
-- and `end_note`); `opened_by` is the unit that opened it (区人社局 or a cooperating unit of
-- 2.3.2, a street only for its own street's businesses), and it counts toward 2.3.2 for that
-- unit on `started_on`. `chosen_for` says why the business was chosen; `selection_entry_id` /
-- `showcase_case_id` link the business's selection entry or showcase case when there is one.
-- The mentor is an expert of the pool (`expert_id`) or an instructor named with their
-- organisation (`instructor_name`, `instructor_org`; no phone is kept). `fund_joins`: 区基金
-- 公司 joined (and then reads it and records financing contacts).
CREATE TABLE mentorings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id BIGINT NOT NULL REFERENCES businesses (id),
    opened_by TEXT NOT NULL REFERENCES units (code),
    chosen_for TEXT NOT NULL,
    chosen_note TEXT NOT NULL,
    selection_entry_id BIGINT REFERENCES selection_entries (id),
    showcase_case_id BIGINT REFERENCES showcase_cases (id),
    started_on TEXT NOT NULL,
    mentor_kind TEXT NOT NULL,
    expert_id BIGINT REFERENCES experts (id),
    instructor_name TEXT NOT NULL,
    instructor_org TEXT NOT NULL,
    fund_joins BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    ended_on TEXT,
    end_note TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX mentorings_opened_by ON mentorings (opened_by, started_on);
CREATE INDEX mentorings_business ON mentorings (business_id);
CREATE INDEX mentorings_expert ON mentorings (expert_id);

-- The plan's milestones: due on a day (not before the start), reached on `done_on`.
CREATE TABLE mentoring_milestones (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    mentoring_id BIGINT NOT NULL REFERENCES mentorings (id),
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done_on TEXT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX mentoring_milestones_mentoring ON mentoring_milestones (mentoring_id);

-- Visits to the business: who went, the problems it raised and those solved.
CREATE TABLE mentoring_visits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    mentoring_id BIGINT NOT NULL REFERENCES mentorings (id),
    visited_on TEXT NOT NULL,
    visitor TEXT NOT NULL,
    problems_raised TEXT NOT NULL,
    problems_solved TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX mentoring_visits_mentoring ON mentoring_visits (mentoring_id);

-- Contacts with funds and investors: the amount sought in hundredths of 万元, the result.
CREATE TABLE mentoring_financing (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    mentoring_id BIGINT NOT NULL REFERENCES mentorings (id),
    contacted_on TEXT NOT NULL,
    funder TEXT NOT NULL,
    amount BIGINT NOT NULL,
    result TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX mentoring_financing_mentoring ON mentoring_financing (mentoring_id);

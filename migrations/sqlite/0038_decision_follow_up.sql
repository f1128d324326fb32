-- A joint meeting's decision followed up (issue 15 item 8): its owner unit (or the task force)
-- records what was done, on which day and by whom; until then the decision is open, and
-- overdue once its due date has passed.
ALTER TABLE meeting_decisions ADD COLUMN done_on TEXT;
ALTER TABLE meeting_decisions ADD COLUMN done_note TEXT NOT NULL DEFAULT '';
ALTER TABLE meeting_decisions ADD COLUMN done_by BIGINT REFERENCES users (id);
CREATE INDEX meeting_decisions_owner ON meeting_decisions (owner_unit, done_on);

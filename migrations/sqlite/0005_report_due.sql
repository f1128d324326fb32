-- The deadline a report was submitted against, kept so that a later calendar edit does not
-- change whether it was on time.
ALTER TABLE reports ADD COLUMN due_on TEXT;

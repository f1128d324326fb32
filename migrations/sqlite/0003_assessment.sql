-- The yearly assessment (考核): indicator weights and the plan's scoring rules.
ALTER TABLE indicators ADD COLUMN weight BIGINT NOT NULL DEFAULT 1;
ALTER TABLE plans ADD COLUMN completion_points BIGINT NOT NULL DEFAULT 80;
ALTER TABLE plans ADD COLUMN timeliness_points BIGINT NOT NULL DEFAULT 20;
ALTER TABLE plans ADD COLUMN late_credit_percent BIGINT NOT NULL DEFAULT 50;
ALTER TABLE plans ADD COLUMN assessment_source TEXT NOT NULL DEFAULT '';

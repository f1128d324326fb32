-- Employer accounts belong to their employer.
ALTER TABLE users ADD COLUMN employer_id BIGINT REFERENCES employers (id);

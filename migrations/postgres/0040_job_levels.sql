-- Job levels (岗位层次), occupation codes (职业分类大典 2022) and industry codes (GB/T 4754-2017) of
-- posts, and the emerging-industry flag derived from them (issue 16 item 1; task 1.1.1). A
-- reviewer's change of the derived flag is kept with its reason, who and when.
ALTER TABLE job_posts ADD COLUMN level TEXT NOT NULL DEFAULT 'worker';
ALTER TABLE job_posts ADD COLUMN occupation_code TEXT;
ALTER TABLE job_posts ADD COLUMN industry_code TEXT;
-- The row of data/emerging-industries-2018.tsv the flag rests on; NULL when none matched.
ALTER TABLE job_posts ADD COLUMN emerging_basis TEXT;
ALTER TABLE job_posts ADD COLUMN emerging_override_reason TEXT;
ALTER TABLE job_posts ADD COLUMN emerging_overridden_by BIGINT REFERENCES users (id);
ALTER TABLE job_posts ADD COLUMN emerging_overridden_at TIMESTAMPTZ;

-- Posts before this migration: the level by the occupation's major group (core's
-- JobLevel::default_for); the emerging flag the employer ticked is kept, recorded as an override
-- nobody has reviewed yet (their industry code is unknown, so nothing can be derived).
UPDATE job_posts SET level = CASE occupation_group
    WHEN '1' THEN 'management' WHEN '2' THEN 'professional' ELSE 'worker' END;
UPDATE job_posts SET emerging_override_reason = '迁移前由用人单位勾选，未按行业代码认定，待复核';

ALTER TABLE applicants ADD COLUMN wanted_level TEXT;
ALTER TABLE applicants ADD COLUMN wanted_occupation_code TEXT;

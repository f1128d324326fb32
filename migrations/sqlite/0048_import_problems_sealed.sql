-- A refused import's problems are sealed (issue 17, personal data at rest): sentences such as
-- "身份证号码中的出生日期…不存在" or "“138…”不是有效的手机号码" quote parts of what was typed. They
-- are now kept as `problems_enc` (JSON array of sentences, encrypted with the field key like
-- every ID and phone number, re-encrypted by a key rotation), and only for
-- core::imports::KEEP_PROBLEMS (24 hours) after the run ended: the store then clears them and
-- the error workbook's path. The sentences kept in clear so far are dropped; their runs keep
-- their message and problem count.
ALTER TABLE import_runs ADD COLUMN problems_enc BLOB;
ALTER TABLE import_runs DROP COLUMN problems;

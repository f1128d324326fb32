-- SQLite rebuilds `migrants` with its key as the rowid (see migrations/sqlite). PostgreSQL's
-- primary key is already the table's one index: nothing to change.
SELECT 1;

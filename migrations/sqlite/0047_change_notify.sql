-- The change feed's notification (issue 18) is PostgreSQL's LISTEN/NOTIFY: one SQLite file has
-- one server, which applies its own writes to its index at once. Nothing to change here; the
-- number is kept so that both databases carry the same migrations.
SELECT 1;

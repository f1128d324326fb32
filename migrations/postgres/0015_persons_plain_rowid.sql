-- SQLite only: residents' ids lose AUTOINCREMENT there. PostgreSQL's identity column has no
-- such cost; the migration numbers of the two databases stay in step.
SELECT 1;

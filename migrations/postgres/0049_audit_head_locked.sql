-- The audit chain's head, read after taking the chain's lock, in one round trip instead of two
-- (appends take turns at that lock, and on a busy server each round trip waits for a turn at
-- the processor). A VOLATILE SQL function takes a fresh snapshot for each statement in it, so
-- the head it reads is the one the previous holder of the lock committed — a single statement
-- that took the lock and read the head would read it as of before the wait.
CREATE FUNCTION linkong_audit_head_locked(OUT last_id BIGINT, OUT last_hash TEXT)
RETURNS SETOF record
LANGUAGE sql VOLATILE AS $$
    SELECT pg_advisory_xact_lock(420112);
    SELECT last_id, last_hash FROM audit_head WHERE singleton = 1;
$$;

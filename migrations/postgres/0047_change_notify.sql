-- The change feed (issue 18): every statement that appends to the search change log notifies
-- the channel `linkong_search_changes` when its transaction commits, so that every app server
-- following the log applies it at once instead of at its next poll. Polling stays as the
-- fallback: a server that misses a notification catches up from the log by its sequence.
CREATE FUNCTION linkong_notify_search_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('linkong_search_changes', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER search_changes_notify
AFTER INSERT ON search_changes
FOR EACH STATEMENT EXECUTE FUNCTION linkong_notify_search_changes();

-- Phone numbers of residents are looked up only for the few graduates still waiting for a job
-- (a hire on the job platform places them) and in a street's own roster search: both start
-- from a short list, so the index on every resident's phone is dropped. It cost a random
-- index insert per resident in a bulk import.
DROP INDEX persons_phone;

-- Import runs (导入任务; issue 17 item 3, issue 18 item 2): an import started on the web is kept
-- here from its start to its end, so that its page shows it on any server behind the same
-- database, and on the same server after a restart.
--
-- One row per run, found by its random `token` (the page's address); only `owner_id` sees it.
-- `kind` is what is imported (migrants, graduates, insurance), `state` running, done, refused or
-- interrupted. While it runs, `server` (host:port) writes `rows_read` and `progress_permille`
-- (NULL until the first row: queued) with `heartbeat_at` every few seconds; a running row whose
-- heartbeat is old has lost its server (core::imports::standing), and a server that starts
-- again on the same address marks its own running rows interrupted at once. At the end: the
-- counts written (`rows_total`, `created`, `updated`, `unchanged`) and the footer rows left out
-- (`skipped`, JSON [[row, word], …]); or the refusal's `message`, `problem_count`, the first
-- problems (`problems`, JSON array of sentences) and the error workbook (`errors_file`, a path
-- under the files directory).
CREATE TABLE import_runs (
    token TEXT PRIMARY KEY,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    state TEXT NOT NULL,
    rows_read BIGINT NOT NULL DEFAULT 0,
    progress_permille BIGINT,
    rows_total BIGINT,
    created BIGINT,
    updated BIGINT,
    unchanged BIGINT,
    skipped TEXT NOT NULL DEFAULT '[]',
    message TEXT NOT NULL DEFAULT '',
    problem_count BIGINT NOT NULL DEFAULT 0,
    problems TEXT NOT NULL DEFAULT '[]',
    errors_file TEXT,
    server TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX import_runs_server_state ON import_runs (server, state);

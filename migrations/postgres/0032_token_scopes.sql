-- What an API token may do (issue 15 item 9): a comma-separated list of scopes
-- (aggregates, registries, write; see core::access::token). Tokens created before scopes read
-- aggregates only.
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'aggregates';

-- Two-factor sign-in (issue 17 item 5): admin and task-force accounts confirm each sign-in with a
-- TOTP code from an authenticator app, or with one of their recovery codes.
--
-- `totp_secret_enc` is the enrolled secret, sealed with the field key like every personal datum
-- (so a key rotation re-seals it); `totp_pending_enc` is a secret shown for enrolment and not yet
-- confirmed with a code. `totp_last_step` is the time step of the last code accepted: a code is
-- taken once (a later step only), on any server.
-- A session of such an account starts with `factor_pending` true and serves nothing but the
-- code's page until a code is accepted; `factor_failures` counts wrong codes, and the fifth ends
-- the session. `recovery_codes` keeps the SM3 digest of each code (salted with the account's id),
-- and when it was used.
ALTER TABLE users ADD COLUMN totp_secret_enc BLOB;
ALTER TABLE users ADD COLUMN totp_pending_enc BLOB;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
ALTER TABLE sessions ADD COLUMN factor_pending BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sessions ADD COLUMN factor_failures BIGINT NOT NULL DEFAULT 0;
CREATE TABLE recovery_codes (
    user_id BIGINT NOT NULL REFERENCES users (id),
    code_digest TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (user_id, code_digest)
);

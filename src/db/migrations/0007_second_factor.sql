-- A second factor for every account: a TOTP secret (pending until a first code confirms it), the last time step used
-- (a code is accepted once), and whether a session was opened with both factors.
ALTER TABLE users ADD COLUMN totp_secret text;
ALTER TABLE users ADD COLUMN totp_enabled_at timestamptz;
ALTER TABLE users ADD COLUMN totp_last_step bigint;
ALTER TABLE sessions ADD COLUMN mfa boolean NOT NULL DEFAULT false;

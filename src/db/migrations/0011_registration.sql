-- Officers register themselves. An account starts unconfirmed; proving control of its address (a one-time code sent
-- to it, kept here only as a SHA-256) makes it pending; its agency's admin or the platform's admin approves it.
ALTER TABLE users DROP CONSTRAINT users_status_check;
ALTER TABLE users ADD CONSTRAINT users_status_check CHECK (status IN ('unconfirmed', 'pending', 'active', 'disabled'));
ALTER TABLE users ADD COLUMN email_code_sha256 text;
ALTER TABLE users ADD COLUMN email_code_expires_at timestamptz;
ALTER TABLE users ADD COLUMN email_confirmed_at timestamptz;
CREATE UNIQUE INDEX users_email_code ON users (email_code_sha256) WHERE email_code_sha256 IS NOT NULL;
-- The approver's list: who waits in an agency.
CREATE INDEX users_organisation_status ON users (organisation_id, status, created_at);

-- When a session was last used (kept to the minute): a session idle for longer than the configured time ends.
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz;

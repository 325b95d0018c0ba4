-- Failed logins per account (keyed by a hash of the email, whether or not an account exists) and per network address,
-- shared by every process: past a threshold each failure locks the key for longer.
CREATE TABLE login_throttle (
  key text PRIMARY KEY,
  failures integer NOT NULL,
  locked_until timestamptz,
  updated_at timestamptz NOT NULL
);

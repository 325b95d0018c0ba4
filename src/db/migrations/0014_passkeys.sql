-- Passkeys (WebAuthn): a person's public keys, each bound to this site by the browser, so a look-alike site cannot use
-- them. The private half never leaves the person's device. `sign_count` goes up with each use where the device counts.
CREATE TABLE passkeys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  credential_id text NOT NULL UNIQUE,
  public_key bytea NOT NULL,
  sign_count bigint NOT NULL DEFAULT 0,
  transports text[] NOT NULL DEFAULT '{}',
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX passkeys_user ON passkeys (user_id);
-- Challenges handed out for a passkey ceremony, each good once and for a few minutes.
CREATE TABLE webauthn_challenges (
  challenge text PRIMARY KEY,
  purpose text NOT NULL CHECK (purpose IN ('register', 'login')),
  user_id uuid REFERENCES users (id),
  expires_at timestamptz NOT NULL
);

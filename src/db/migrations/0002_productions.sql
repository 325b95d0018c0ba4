-- Productions: one package per approval, whatever happens to the job that builds it.
CREATE TABLE productions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL REFERENCES requests (id),
  decision_id uuid NOT NULL UNIQUE REFERENCES decisions (id),
  state text NOT NULL CHECK (state IN ('running', 'completed', 'failed')),
  attempts integer NOT NULL DEFAULT 1,
  tag_manifest_sha256 text,
  key_fingerprint text,
  payload_bytes bigint,
  outcomes jsonb NOT NULL DEFAULT '[]',
  failure text,
  available_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz
);
CREATE INDEX productions_request ON productions (request_id, created_at DESC);

CREATE TABLE production_downloads (
  id bigserial PRIMARY KEY,
  production_id uuid NOT NULL REFERENCES productions (id),
  user_id uuid NOT NULL REFERENCES users (id),
  downloaded_at timestamptz NOT NULL DEFAULT now()
);

-- Writ's foundation: organisations and accounts, requests and everything hanging off them, the audit log and the outbox.
-- Timestamps are timestamptz throughout.

CREATE TABLE organisations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('platform', 'agency')),
  name text NOT NULL,
  jurisdiction text,
  email_domains text[] NOT NULL DEFAULT '{}',
  verification_status text NOT NULL DEFAULT 'pending'
    CHECK (verification_status IN ('verified', 'pending', 'suspended', 'blocklisted')),
  created_at timestamptz NOT NULL DEFAULT now()
);
-- One platform per installation: the organisation that runs the desk.
CREATE UNIQUE INDEX organisations_one_platform ON organisations (kind) WHERE kind = 'platform';

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  email text NOT NULL,
  display_name text NOT NULL,
  password_hash text,
  roles text[] NOT NULL CHECK (cardinality(roles) > 0),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  token_sha256 text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  name text NOT NULL,
  token_sha256 text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);

CREATE SEQUENCE request_tracking_seq;

CREATE TABLE requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tracking_number text NOT NULL UNIQUE,
  agency_id uuid NOT NULL REFERENCES organisations (id),
  officer_id uuid NOT NULL REFERENCES users (id),
  kind text NOT NULL CHECK (kind IN ('disclosure', 'preservation', 'emergency', 'removal', 'prospective', 'assistance')),
  state text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  jurisdiction text NOT NULL,
  case_reference text,
  summary text,
  instrument_type text NOT NULL,
  issuing_authority text,
  process_reference text,
  issued_on date,
  categories text[] NOT NULL,
  date_from timestamptz,
  date_to timestamptz,
  offence jsonb,
  non_disclosure boolean NOT NULL DEFAULT false,
  non_disclosure_until date,
  deadline timestamptz,
  emergency jsonb,
  payload_sha256 text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX requests_agency_received ON requests (agency_id, received_at DESC, id DESC);
CREATE INDEX requests_received ON requests (received_at DESC, id DESC);
CREATE INDEX requests_state ON requests (state, received_at DESC);

-- The lifecycle's edges, written from the core's transition table by every migration run. A trigger refuses any state
-- change that is not an edge, so no code path, not even hand-written SQL, can skip a step.
CREATE TABLE request_state_edges (
  from_state text NOT NULL,
  to_state text NOT NULL,
  PRIMARY KEY (from_state, to_state)
);

CREATE FUNCTION requests_guard_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.state <> 'received' THEN
      RAISE EXCEPTION 'a request starts in state received' USING ERRCODE = 'check_violation';
    END IF;
  ELSIF NEW.state IS DISTINCT FROM OLD.state THEN
    IF NOT EXISTS (SELECT 1 FROM request_state_edges WHERE from_state = OLD.state AND to_state = NEW.state) THEN
      RAISE EXCEPTION 'no transition between these states' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.version <> OLD.version + 1 THEN
      RAISE EXCEPTION 'a transition must bump the version' USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER requests_guard_state BEFORE INSERT OR UPDATE ON requests FOR EACH ROW EXECUTE FUNCTION requests_guard_state();

CREATE TABLE targets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL REFERENCES requests (id),
  position integer NOT NULL,
  kind text NOT NULL,
  value text NOT NULL,
  note text,
  UNIQUE (request_id, position)
);

CREATE TABLE documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  uploaded_by uuid NOT NULL REFERENCES users (id),
  request_id uuid REFERENCES requests (id),
  file_name text NOT NULL,
  media_type text NOT NULL,
  size bigint NOT NULL,
  sha256 text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_request ON documents (request_id);

CREATE TABLE messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL REFERENCES requests (id),
  author_id uuid NOT NULL REFERENCES users (id),
  side text NOT NULL CHECK (side IN ('agency', 'desk')),
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_request ON messages (request_id, created_at);

-- Desk-internal notes: never shown to an agency.
CREATE TABLE notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL REFERENCES requests (id),
  author_id uuid NOT NULL REFERENCES users (id),
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notes_request ON notes (request_id, created_at);

CREATE TABLE findings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL REFERENCES requests (id),
  code text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('block', 'needs_info', 'warn', 'info')),
  audience text NOT NULL DEFAULT 'desk' CHECK (audience IN ('desk', 'both')),
  explanation jsonb NOT NULL,
  citation text,
  computed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX findings_request ON findings (request_id);

CREATE TABLE decisions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL REFERENCES requests (id),
  decided_by uuid NOT NULL REFERENCES users (id),
  outcome text NOT NULL CHECK (outcome IN ('approved', 'partially_approved', 'rejected')),
  reason text,
  items jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decisions_request ON decisions (request_id, created_at);

CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  version integer NOT NULL,
  type text NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid,
  actor_organisation_id uuid,
  via text NOT NULL,
  request_id uuid,
  data jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_request ON audit_events (request_id, id) WHERE request_id IS NOT NULL;

-- Work to do after a commit, written in the same transaction as the change that causes it.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  topic text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  dispatched_at timestamptz
);
CREATE INDEX outbox_pending ON outbox (id) WHERE dispatched_at IS NULL;

CREATE TABLE idempotency_keys (
  user_id uuid NOT NULL REFERENCES users (id),
  key text NOT NULL,
  scope text NOT NULL,
  input_sha256 text NOT NULL,
  result jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, scope, key)
);

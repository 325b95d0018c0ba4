-- The audit log becomes a Merkle log (RFC 9162 §2.1). Each event is one `entry`: the exact bytes its leaf hash is taken
-- over (canonical JSON). Every other column of an event is generated from the entry, so no column can say something
-- its hash does not cover; PostgreSQL refuses to UPDATE a generated column.
--
-- Appending stays one INSERT in the caller's transaction, with no shared counter row. A sequencer (one at a time, under
-- an advisory lock) later gives committed events their place in the tree (`leaf_index`), stores the new subtree
-- hashes and signs a tree head, all in one transaction: every leaf is covered by a signed head.

CREATE FUNCTION writ_utc(text) RETURNS timestamptz LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT (replace(replace($1, 'T', ' '), 'Z', '')::timestamp) AT TIME ZONE 'UTC'
$$;

ALTER TABLE audit_events ADD COLUMN entry text;
-- Events written before the log: their entry is the same facts as PostgreSQL prints them; the hash is over whatever
-- bytes the entry holds, so their form need not match new entries'.
UPDATE audit_events SET entry = jsonb_build_object(
  'v', version,
  'type', type,
  'at', to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
  'actorUserId', actor_user_id,
  'actorOrganisationId', actor_organisation_id,
  'via', via,
  'requestId', request_id,
  'data', data
)::text;
ALTER TABLE audit_events ALTER COLUMN entry SET NOT NULL;

DROP INDEX audit_events_request;
DROP INDEX audit_events_type;
ALTER TABLE audit_events
  DROP COLUMN version,
  DROP COLUMN type,
  DROP COLUMN occurred_at,
  DROP COLUMN actor_user_id,
  DROP COLUMN actor_organisation_id,
  DROP COLUMN via,
  DROP COLUMN request_id,
  DROP COLUMN data;
ALTER TABLE audit_events
  ADD COLUMN version integer GENERATED ALWAYS AS (((entry::jsonb) ->> 'v')::integer) STORED,
  ADD COLUMN type text GENERATED ALWAYS AS ((entry::jsonb) ->> 'type') STORED,
  ADD COLUMN occurred_at timestamptz GENERATED ALWAYS AS (writ_utc((entry::jsonb) ->> 'at')) STORED,
  ADD COLUMN actor_user_id uuid GENERATED ALWAYS AS (((entry::jsonb) ->> 'actorUserId')::uuid) STORED,
  ADD COLUMN actor_organisation_id uuid GENERATED ALWAYS AS (((entry::jsonb) ->> 'actorOrganisationId')::uuid) STORED,
  ADD COLUMN via text GENERATED ALWAYS AS ((entry::jsonb) ->> 'via') STORED,
  ADD COLUMN request_id uuid GENERATED ALWAYS AS (((entry::jsonb) ->> 'requestId')::uuid) STORED,
  ADD COLUMN data jsonb GENERATED ALWAYS AS (coalesce((entry::jsonb) -> 'data', '{}'::jsonb)) STORED,
  ADD COLUMN leaf_index bigint UNIQUE;
CREATE INDEX audit_events_request ON audit_events (request_id, id) WHERE request_id IS NOT NULL;
CREATE INDEX audit_events_type ON audit_events (type, id);
-- What the sequencer has still to place: small, since it places events within seconds.
CREATE INDEX audit_events_unsequenced ON audit_events (id) WHERE leaf_index IS NULL;

-- Hashes of the tree's perfect subtrees: (level, position) covers leaves [position * 2^level, (position + 1) * 2^level).
-- Level 0 holds each leaf hash by position, apart from the event row, so a row moved, removed or put in shows.
CREATE TABLE audit_tree_nodes (
  level smallint NOT NULL,
  position bigint NOT NULL,
  hash bytea NOT NULL,
  PRIMARY KEY (level, position)
);

-- Signed tree heads: the checkpoint text (C2SP tlog-checkpoint: origin, size, base64 root, then the time) and the
-- platform's Ed25519 signature over exactly those bytes.
CREATE TABLE audit_tree_heads (
  tree_size bigint PRIMARY KEY,
  root_hash bytea NOT NULL,
  signed_at timestamptz NOT NULL,
  checkpoint text NOT NULL,
  signature bytea NOT NULL,
  key_fingerprint text NOT NULL
);

-- A delivery's receipt: the tree head at delivery and the inclusion proof of the production's event.
ALTER TABLE productions ADD COLUMN receipt jsonb;

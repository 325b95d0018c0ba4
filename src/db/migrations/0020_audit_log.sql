-- The audit log becomes a Merkle log (RFC 9162 §2.1). Each event is one `entry`: the exact bytes its leaf hash is taken
-- over (canonical JSON). Every other column of an event is read from the entry, parsed once when it is written (a
-- generated column) and shown by the view `audit_events`, so no column can say something its hash does not cover.
--
-- Appending stays one statement in the caller's transaction, with no shared counter row: the entry, and its id in the
-- queue of events to place. A sequencer (one at a time, under an advisory lock) later gives committed events their
-- place in the tree (`audit_leaves`), stores the new subtree hashes and signs a tree head, all in one transaction:
-- every leaf is covered by a signed head. Entries are never updated, so the table holds no dead rows to read past.

CREATE FUNCTION writ_utc(text) RETURNS timestamptz LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT (replace(replace($1, 'T', ' '), 'Z', '')::timestamp) AT TIME ZONE 'UTC'
$$;

-- The entries, with `fields`: the entry parsed once, as it is written.
CREATE TABLE audit_entries (
  id bigserial PRIMARY KEY,
  entry text NOT NULL,
  fields jsonb GENERATED ALWAYS AS (entry::jsonb) STORED
);
-- Committed events the sequencer has still to place: small, since it places them within a minute.
CREATE TABLE audit_unplaced (id bigint PRIMARY KEY);
-- Each place in the tree and the event there.
CREATE TABLE audit_leaves (
  position bigint PRIMARY KEY,
  entry_id bigint NOT NULL UNIQUE
);
-- Events written before the log: their entry is the same facts as PostgreSQL prints them; the hash is over whatever
-- bytes the entry holds, so their form need not match new entries'.
INSERT INTO audit_entries (id, entry)
SELECT id, jsonb_build_object(
  'v', version,
  'type', type,
  'at', to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
  'actorUserId', actor_user_id,
  'actorOrganisationId', actor_organisation_id,
  'via', via,
  'requestId', request_id,
  'data', data
)::text
FROM audit_events ORDER BY id;
SELECT setval('audit_entries_id_seq', greatest((SELECT max(id) FROM audit_entries), 1), (SELECT count(*) > 0 FROM audit_entries));
INSERT INTO audit_unplaced (id) SELECT id FROM audit_entries;
DROP TABLE audit_events;

-- The event as it always looked, every column but the entry read from the entry. It is a simple view: INSERT (of the
-- entry), UPDATE and DELETE reach audit_entries, and the read columns cannot be written at all.
CREATE VIEW audit_events AS
SELECT
  id,
  entry,
  (fields ->> 'v')::integer AS version,
  fields ->> 'type' AS type,
  writ_utc(fields ->> 'at') AS occurred_at,
  (fields ->> 'actorUserId')::uuid AS actor_user_id,
  (fields ->> 'actorOrganisationId')::uuid AS actor_organisation_id,
  fields ->> 'via' AS via,
  (fields ->> 'requestId')::uuid AS request_id,
  coalesce(fields -> 'data', '{}'::jsonb) AS data
FROM audit_entries;

CREATE INDEX audit_entries_request ON audit_entries (((fields ->> 'requestId')::uuid), id) WHERE ((fields ->> 'requestId')::uuid) IS NOT NULL;
CREATE INDEX audit_entries_type ON audit_entries ((fields ->> 'type'), id);

-- Hashes of the tree's perfect subtrees: (level, position) covers leaves [position * 2^level, (position + 1) * 2^level).
-- Level 0 holds each leaf hash by position as it was placed, so an event moved, removed or put in shows.
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

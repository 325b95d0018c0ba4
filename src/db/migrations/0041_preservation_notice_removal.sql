-- Preservation: what a preservation request secured. The connector's records for each approved target, category and
-- range are sealed into the file store (named by their SHA-256) when it becomes active; it expires on a date the law
-- sets (18 U.S.C. 2703(f): 90 days; e-Evidence Art. 11: 60), may be extended once, and is released.
CREATE TABLE preservations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL UNIQUE REFERENCES requests (id),
  decision_id uuid NOT NULL REFERENCES decisions (id),
  expires_at timestamptz NOT NULL,
  -- What the one extension the law allows adds, in hours, and the rule (or policy) both come from.
  extension_hours integer NOT NULL,
  basis text NOT NULL,
  extended_at timestamptz,
  copy_state text NOT NULL DEFAULT 'sealing' CHECK (copy_state IN ('sealing', 'sealed', 'released')),
  attempts integer NOT NULL DEFAULT 0,
  manifest_sha256 text,
  sealed_at timestamptz,
  released_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE preserved_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  preservation_id uuid NOT NULL REFERENCES preservations (id),
  target_id uuid NOT NULL REFERENCES targets (id),
  category text NOT NULL,
  account_id text,
  account_label text,
  range_from timestamptz NOT NULL,
  range_to timestamptz NOT NULL,
  -- sealed, or why there is nothing to seal (not_found, not_held, end_to_end_encrypted, outside_retention, no_records).
  status text NOT NULL,
  records integer NOT NULL DEFAULT 0,
  columns text[] NOT NULL DEFAULT '{}',
  sha256 text,
  size bigint,
  detail text NOT NULL
);
CREATE INDEX preserved_items_preservation ON preserved_items (preservation_id);
CREATE INDEX preserved_items_copy ON preserved_items (account_id, category) WHERE sha256 IS NOT NULL;

-- User notice: per request and target, whether and when the user may be told, and whether they were.
CREATE TABLE notices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL REFERENCES requests (id),
  target_id uuid NOT NULL REFERENCES targets (id),
  purpose text NOT NULL CHECK (purpose IN ('disclosure', 'removal')),
  state text NOT NULL CHECK (state IN ('scheduled', 'withheld', 'sent', 'no_contact', 'cancelled')),
  -- Why it may go when it may, or why not: policy, gag, gag_without_end, law, emergency, desk.
  basis text NOT NULL,
  basis_detail text,
  not_before timestamptz,
  -- The notice page's token is never stored, only its SHA-256.
  token_sha256 text UNIQUE,
  sent_at timestamptz,
  viewed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (request_id, target_id, purpose)
);
CREATE INDEX notices_request ON notices (request_id);

-- Removal orders: what the desk decided for each item of content and what the connector did.
CREATE TABLE removal_actions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL REFERENCES requests (id),
  target_id uuid NOT NULL REFERENCES targets (id),
  action text NOT NULL CHECK (action IN ('removed', 'restricted', 'kept')),
  countries text[] NOT NULL DEFAULT '{}',
  -- The statement of reasons the author is given (DSA Art. 17(3)): the facts and the ground.
  reasons text NOT NULL,
  decided_by uuid NOT NULL REFERENCES users (id),
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'not_found', 'not_supported')),
  content_id text,
  author_account text,
  detail text,
  acted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (request_id, target_id)
);

-- A prospective order delivers in parts: one production per part of its authorised period.
ALTER TABLE productions DROP CONSTRAINT productions_decision_id_key;
ALTER TABLE productions ADD COLUMN part integer NOT NULL DEFAULT 0;
ALTER TABLE productions ADD COLUMN window_from timestamptz;
ALTER TABLE productions ADD COLUMN window_to timestamptz;
ALTER TABLE productions ADD CONSTRAINT productions_decision_part UNIQUE (decision_id, part);

-- The second wall (0013) over the new tables: an agency's person sees only its own requests' rows.
ALTER TABLE preservations ENABLE ROW LEVEL SECURITY;
ALTER TABLE preservations FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON preservations USING (
  writ_agency() IS NULL OR EXISTS (SELECT 1 FROM requests r WHERE r.id = preservations.request_id AND r.agency_id = writ_agency())
);
ALTER TABLE preserved_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE preserved_items FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON preserved_items USING (
  writ_agency() IS NULL
  OR EXISTS (
    SELECT 1 FROM preservations p JOIN requests r ON r.id = p.request_id
    WHERE p.id = preserved_items.preservation_id AND r.agency_id = writ_agency()
  )
);
ALTER TABLE notices ENABLE ROW LEVEL SECURITY;
ALTER TABLE notices FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON notices USING (writ_agency() IS NULL);
ALTER TABLE removal_actions ENABLE ROW LEVEL SECURITY;
ALTER TABLE removal_actions FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON removal_actions USING (
  writ_agency() IS NULL OR EXISTS (SELECT 1 FROM requests r WHERE r.id = removal_actions.request_id AND r.agency_id = writ_agency())
);

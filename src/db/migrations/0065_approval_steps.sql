-- The first of two approvals, where the policy asks a second person for every approval that releases data
-- (policy.yaml `approval.second_person`): who approved, what exactly (the SHA-256 of the decision's items and reason),
-- and at which version of the request. One per request; the second approval by another person consumes it, and an
-- approval of something else by anyone replaces it.
CREATE TABLE approval_steps (
  request_id uuid PRIMARY KEY REFERENCES requests (id),
  approved_by uuid NOT NULL REFERENCES users (id),
  is_counsel boolean NOT NULL,
  decision_sha256 text NOT NULL,
  request_version integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The desk's alone: no agency ever sees it.
ALTER TABLE approval_steps ENABLE ROW LEVEL SECURITY;
ALTER TABLE approval_steps FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON approval_steps USING (writ_agency() IS NULL);

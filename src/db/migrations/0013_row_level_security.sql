-- The second wall between agencies (src/db/agency-scope.ts): while Writ serves an agency's person it sets
-- `writ.agency` on the connection, and these policies then show and let change only that agency's rows; desk notes
-- not at all. Unset or empty (the desk, jobs, the command line), they let everything through, as before.
-- FORCE: the policies bind the tables' owner too, which is usually the role Writ connects as.
CREATE FUNCTION writ_agency() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('writ.agency', true), '')::uuid
$$;

ALTER TABLE requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE requests FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON requests USING (writ_agency() IS NULL OR agency_id = writ_agency());

ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE documents FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON documents USING (writ_agency() IS NULL OR organisation_id = writ_agency());

ALTER TABLE targets ENABLE ROW LEVEL SECURITY;
ALTER TABLE targets FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON targets USING (
  writ_agency() IS NULL OR EXISTS (SELECT 1 FROM requests r WHERE r.id = targets.request_id AND r.agency_id = writ_agency())
);

ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE messages FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON messages USING (
  writ_agency() IS NULL OR EXISTS (SELECT 1 FROM requests r WHERE r.id = messages.request_id AND r.agency_id = writ_agency())
);

ALTER TABLE decisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE decisions FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON decisions USING (
  writ_agency() IS NULL OR EXISTS (SELECT 1 FROM requests r WHERE r.id = decisions.request_id AND r.agency_id = writ_agency())
);

ALTER TABLE callbacks ENABLE ROW LEVEL SECURITY;
ALTER TABLE callbacks FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON callbacks USING (
  writ_agency() IS NULL OR EXISTS (SELECT 1 FROM requests r WHERE r.id = callbacks.request_id AND r.agency_id = writ_agency())
);

ALTER TABLE productions ENABLE ROW LEVEL SECURITY;
ALTER TABLE productions FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON productions USING (
  writ_agency() IS NULL OR EXISTS (SELECT 1 FROM requests r WHERE r.id = productions.request_id AND r.agency_id = writ_agency())
);

ALTER TABLE production_downloads ENABLE ROW LEVEL SECURITY;
ALTER TABLE production_downloads FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON production_downloads USING (
  writ_agency() IS NULL
  OR EXISTS (
    SELECT 1 FROM productions p JOIN requests r ON r.id = p.request_id
    WHERE p.id = production_downloads.production_id AND r.agency_id = writ_agency()
  )
);

-- Desk notes are never the agency's.
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON notes USING (writ_agency() IS NULL);

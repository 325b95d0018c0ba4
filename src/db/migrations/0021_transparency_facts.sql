-- What the transparency report counts, kept on each request as it happens so a report over millions of requests is
-- one scan of one table: how many targets it named, what it was decided (the state it entered: approved, partially
-- approved or rejected), whether it was refused while its requester was unconfirmed (held as suspicious or forged),
-- and how many records its production held. The triggers keep them true whatever path changes a request.

ALTER TABLE requests
  ADD COLUMN targets_count integer NOT NULL DEFAULT 0,
  ADD COLUMN decided_as text CHECK (decided_as IN ('approved', 'partially_approved', 'rejected')),
  ADD COLUMN refused_unverified boolean NOT NULL DEFAULT false,
  ADD COLUMN produced_records bigint;

UPDATE requests SET targets_count = (SELECT count(*) FROM targets t WHERE t.request_id = requests.id);
UPDATE requests SET decided_as = (
  SELECT d.outcome FROM decisions d WHERE d.request_id = requests.id ORDER BY d.created_at DESC LIMIT 1
);
UPDATE requests SET produced_records = (
  SELECT sum((o ->> 'records')::bigint) FROM productions p, jsonb_array_elements(p.outcomes) o
  WHERE p.request_id = requests.id AND p.state = 'completed'
);

CREATE FUNCTION requests_report_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.state IS DISTINCT FROM OLD.state THEN
    IF NEW.state IN ('approved', 'partially_approved', 'rejected') THEN
      NEW.decided_as := NEW.state;
    END IF;
    IF OLD.state = 'verifying' AND NEW.state = 'rejected' THEN
      NEW.refused_unverified := true;
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER requests_report_facts BEFORE UPDATE OF state ON requests FOR EACH ROW EXECUTE FUNCTION requests_report_facts();

CREATE FUNCTION productions_report_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.state = 'completed' AND OLD.state IS DISTINCT FROM 'completed' THEN
    UPDATE requests SET produced_records = (SELECT coalesce(sum((o ->> 'records')::bigint), 0) FROM jsonb_array_elements(NEW.outcomes) o)
    WHERE id = NEW.request_id;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER productions_report_facts AFTER UPDATE OF state ON productions FOR EACH ROW EXECUTE FUNCTION productions_report_facts();

-- The report scans the requests of a period in parallel: the agency-scope function the row-level security policies
-- call only reads a setting, which parallel workers share with the process that started them (before, no query on
-- those tables could run in parallel).
ALTER FUNCTION writ_agency() PARALLEL SAFE;

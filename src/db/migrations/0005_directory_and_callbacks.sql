-- The agency directory keeps a verification phone number taken from an official source (never from a request), and
-- every change of an agency's status with who made it and why.
ALTER TABLE organisations ADD COLUMN verification_phone text;
ALTER TABLE organisations ADD COLUMN verification_phone_source text;

CREATE TABLE organisation_status_changes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  from_status text,
  to_status text NOT NULL,
  reason text NOT NULL,
  changed_by uuid NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organisation_status_changes_organisation ON organisation_status_changes (organisation_id, changed_at);

-- A callback: someone at the desk phoned the requesting agency on its directory number (copied here as dialled) to
-- confirm a request. An emergency request releases nothing without a confirmed one, and a second person approves it.
CREATE TABLE callbacks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL REFERENCES requests (id),
  called_by uuid NOT NULL REFERENCES users (id),
  phone text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('confirmed', 'not_confirmed', 'no_answer')),
  spoke_with text,
  note text,
  called_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX callbacks_request ON callbacks (request_id, called_at);

-- An emergency request promises legal process to follow; the desk tracks when it is due and when it came.
ALTER TABLE requests ADD COLUMN follow_up_due timestamptz;
ALTER TABLE requests ADD COLUMN follow_up_received_at timestamptz;

-- Timed work that must happen whatever restarts in between: deadline reminders, preservation expiry, notices that wait
-- for a gag to end, the next collection of a prospective order. A scan (src/services/schedule.ts) moves each task that
-- is due into the outbox in one transaction with marking it fired, so each becomes exactly one job; the job marks it
-- handled in the same transaction as what it did, so a retried job does nothing the second time.
CREATE TABLE scheduled_tasks (
  id bigserial PRIMARY KEY,
  -- What the task is about, unique: scheduling the same key again moves a pending task instead of adding one.
  key text NOT NULL UNIQUE,
  topic text NOT NULL,
  request_id uuid REFERENCES requests (id),
  payload jsonb NOT NULL DEFAULT '{}',
  due_at timestamptz NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'fired', 'cancelled')),
  fired_at timestamptz,
  handled_at timestamptz,
  outcome text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scheduled_tasks_due ON scheduled_tasks (due_at, id) WHERE state = 'pending';
CREATE INDEX scheduled_tasks_request ON scheduled_tasks (request_id, due_at) WHERE request_id IS NOT NULL;

-- Jobs that failed every attempt. pg-boss moves them to its dead-letter queue; a worker copies them here, where admins
-- see them (GET /api/v1/jobs/dead-letters) and send them round again.
CREATE TABLE dead_letters (
  id bigserial PRIMARY KEY,
  -- The outbox row the job came from: one dead letter per job, however often the copy is attempted.
  outbox_id bigint UNIQUE,
  topic text NOT NULL,
  payload jsonb NOT NULL,
  reason text NOT NULL,
  attempts integer NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now(),
  retried_at timestamptz,
  retried_by uuid
);
CREATE INDEX dead_letters_open ON dead_letters (failed_at DESC, id DESC) WHERE retried_at IS NULL;

-- The deadline a request must be answered by, and what set it (the agency's own date, or the rule of the law that
-- applies), worked out when it is verified.
ALTER TABLE requests ADD COLUMN due_at timestamptz;
ALTER TABLE requests ADD COLUMN due_basis text;
CREATE INDEX requests_due ON requests (due_at) WHERE due_at IS NOT NULL;

ALTER TABLE scheduled_tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE scheduled_tasks FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON scheduled_tasks USING (writ_agency() IS NULL);
ALTER TABLE dead_letters ENABLE ROW LEVEL SECURITY;
ALTER TABLE dead_letters FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON dead_letters USING (writ_agency() IS NULL);

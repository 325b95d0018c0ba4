-- Email intake. Every message is kept once, by the SHA-256 of its bytes (the bytes themselves are in the file store
-- under that name), before anything else is done with it; what reading found, the sender's trust and the extracted
-- fields come later. A draft request is made of each new message and confirmed (or discarded) by the desk; follow-ups
-- attach to their draft or request. An acknowledgement is claimed here before it is sent, so a message gets at most one.
CREATE TABLE intake_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  sha256 text NOT NULL UNIQUE,
  size bigint NOT NULL,
  message_id text,
  duplicate_of uuid REFERENCES intake_messages (id),
  source text NOT NULL CHECK (source IN ('imap', 'import')),
  source_ref text,
  received_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'processed', 'duplicate')),
  from_address text,
  from_name text,
  subject text,
  sent_at timestamptz,
  in_reply_to text,
  reference_ids text[] NOT NULL DEFAULT '{}',
  flags text[] NOT NULL DEFAULT '{}',
  trust jsonb,
  reading text,
  attachments jsonb NOT NULL DEFAULT '[]',
  fields jsonb,
  draft_id uuid,
  request_id uuid REFERENCES requests (id),
  processed_at timestamptz
);
CREATE INDEX intake_messages_message_id ON intake_messages (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX intake_messages_received ON intake_messages (received_at DESC, id DESC);
CREATE INDEX intake_messages_status ON intake_messages (status, received_at DESC);

CREATE TABLE intake_drafts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Taken from the requests' sequence when the draft is made: the sender's receipt quotes it, and the request keeps it.
  tracking_number text NOT NULL UNIQUE,
  first_message_id uuid NOT NULL REFERENCES intake_messages (id),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'discarded')),
  version integer NOT NULL DEFAULT 1,
  fields jsonb NOT NULL,
  corrections jsonb NOT NULL DEFAULT '{}',
  agency_id uuid REFERENCES organisations (id),
  request_id uuid REFERENCES requests (id),
  discard_reason text,
  closed_by uuid REFERENCES users (id),
  closed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX intake_drafts_created ON intake_drafts (created_at DESC, id DESC);
CREATE INDEX intake_drafts_status ON intake_drafts (status, created_at DESC);
ALTER TABLE intake_messages ADD CONSTRAINT intake_messages_draft FOREIGN KEY (draft_id) REFERENCES intake_drafts (id);
CREATE INDEX intake_messages_draft ON intake_messages (draft_id) WHERE draft_id IS NOT NULL;
CREATE INDEX intake_messages_request ON intake_messages (request_id) WHERE request_id IS NOT NULL;

CREATE TABLE intake_acknowledgements (
  message_id uuid PRIMARY KEY REFERENCES intake_messages (id),
  recipient text NOT NULL,
  kind text NOT NULL,
  state text NOT NULL CHECK (state IN ('sending', 'sent')),
  claimed_at timestamptz NOT NULL,
  sent_at timestamptz
);
CREATE INDEX intake_acknowledgements_recipient ON intake_acknowledgements (lower(recipient), claimed_at);

-- Where the poller is in each mailbox: the last UID read, for the mailbox's UIDVALIDITY.
CREATE TABLE intake_mailbox_state (
  mailbox text PRIMARY KEY,
  uid_validity text NOT NULL,
  last_uid bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The desk's alone: an agency's connection sees none of it (src/db/agency-scope.ts).
ALTER TABLE intake_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE intake_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON intake_messages USING (writ_agency() IS NULL);
ALTER TABLE intake_drafts ENABLE ROW LEVEL SECURITY;
ALTER TABLE intake_drafts FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON intake_drafts USING (writ_agency() IS NULL);
ALTER TABLE intake_acknowledgements ENABLE ROW LEVEL SECURITY;
ALTER TABLE intake_acknowledgements FORCE ROW LEVEL SECURITY;
CREATE POLICY agency_scope ON intake_acknowledgements USING (writ_agency() IS NULL);

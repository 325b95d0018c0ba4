-- Email intake reads scans and keeps documents (issue 19): where each stretch of a message's reading text came from
-- (the message, or page P of its document N), so a value found in it can be shown on its page; and the one mail that
-- tells a confirmed draft's sender its tracking number, claimed before it is sent so that a retry never sends twice.
ALTER TABLE intake_messages ADD COLUMN reading_segments jsonb NOT NULL DEFAULT '[]';

CREATE TABLE intake_confirmation_mail (
  draft_id uuid PRIMARY KEY REFERENCES intake_drafts (id),
  recipient text NOT NULL,
  state text NOT NULL CHECK (state IN ('sending', 'sent', 'withheld')),
  reason text,
  claimed_at timestamptz NOT NULL,
  finished_at timestamptz
);

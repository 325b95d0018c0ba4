-- A notice link opens its page for a limited time (WRIT_NOTICE_LINK_DAYS from sent_at) and the desk can revoke it
-- (a link forwarded or leaked): once revoked, the page answers exactly as a wrong link does.
ALTER TABLE notices ADD COLUMN link_revoked_at timestamptz;

-- The accounts the demo seeded, and only those: the demo sign-in aid (a switcher between them, unlocked by a key
-- printed at start) works for these rows and no other account, so an installation that never seeded the demo has
-- none. Installations seeded before this table existed get their demo accounts back by the demo's own addresses
-- (reserved .example domains, RFC 2606), and only where the audit log holds the demo's seeding.
CREATE TABLE demo_accounts (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  position integer NOT NULL
);
INSERT INTO demo_accounts (user_id, position)
SELECT id, row_number() OVER (ORDER BY created_at, email)
FROM users
WHERE EXISTS (SELECT 1 FROM audit_events WHERE type = 'demo.seeded')
  AND (email LIKE '%@demo-messenger.example' OR email IN ('officer@smpa.police.example.kr', 'officer@fieldoffice.fbi.example.gov'));

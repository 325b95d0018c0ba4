-- The networks (IPv4 /24, IPv6 /48, never a whole address) each person has signed in or sent requests from, and when
-- each was first and last used: a request from a network its officer had not used before is held for the desk.
CREATE TABLE user_networks (
  user_id uuid NOT NULL REFERENCES users (id),
  network text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, network)
);
-- The network a request was sent from, for its verification.
ALTER TABLE requests ADD COLUMN sender_network text;

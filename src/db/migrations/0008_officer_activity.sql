-- Verification counts what an officer sent before (earlier emergencies, requests in the last hour).
CREATE INDEX requests_officer_received ON requests (officer_id, received_at);

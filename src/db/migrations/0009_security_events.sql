-- Auditors list failed and suspicious attempts by type, newest first.
CREATE INDEX audit_events_type ON audit_events (type, id);

-- Uploads that no request names are deleted after WRIT_ORPHAN_UPLOAD_HOURS (src/services/delete-orphan-document.ts):
-- each upload schedules its own deletion. Documents uploaded before this schedule theirs here, at the default 72 hours
-- after their upload (already due for most); one that a request names by then is left alone when the task runs.
INSERT INTO scheduled_tasks (key, topic, payload, due_at)
SELECT 'document-orphan:' || id, 'document.delete-orphan', jsonb_build_object('documentId', id), created_at + interval '72 hours'
FROM documents
WHERE request_id IS NULL
ON CONFLICT (key) DO NOTHING;

-- Whether a stored file is still named by a document, before its bytes are removed.
CREATE INDEX documents_sha256 ON documents (sha256);

-- An officer's upload runs inside their agency's scope, where the schedule is out of sight (migration 0040): it may
-- add the one task that deletes its own document if no request names it, and nothing else; it still reads none.
CREATE POLICY orphan_upload_task ON scheduled_tasks FOR INSERT
  WITH CHECK (topic = 'document.delete-orphan' AND request_id IS NULL AND state = 'pending');

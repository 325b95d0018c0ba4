-- Issue 17: tokens were immortal and invisible. A token now carries the roles it may act with (its scope; NULL for a
-- token made before, which acts with all of its person's roles), the token it was minted with (revoked with it, and
-- never outliving it), and when it was last used, so that a person can see and end each one.
ALTER TABLE api_tokens ADD COLUMN scope text[];
ALTER TABLE api_tokens ADD COLUMN parent_token_id uuid REFERENCES api_tokens (id);
ALTER TABLE api_tokens ADD COLUMN last_used_at timestamptz;
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at DESC);
CREATE INDEX api_tokens_by_parent ON api_tokens (parent_token_id) WHERE parent_token_id IS NOT NULL;

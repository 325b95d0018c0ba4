-- Who issued the legal process (a judge, a prosecutor, ...): the checks weigh an instrument by its issuer.
ALTER TABLE requests ADD COLUMN issuer_type text;
-- Duplicate checks look targets up by value, across requests.
CREATE INDEX targets_value ON targets (lower(btrim(value)));

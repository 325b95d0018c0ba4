-- Who issued the legal process (a judge, a prosecutor, ...): the checks weigh an instrument by its issuer.
ALTER TABLE requests ADD COLUMN issuer_type text;

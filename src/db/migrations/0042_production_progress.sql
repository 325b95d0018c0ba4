-- How far a running production has got, written by the process producing it every few seconds and at each approved
-- target and category it finishes: {"steps", "stepsDone", "records", "at"}. Null until the first report; a restart
-- clears it.
ALTER TABLE productions ADD COLUMN progress jsonb;

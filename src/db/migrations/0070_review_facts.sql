-- Facts an agency or the desk stated beyond the request itself (core/review/facts.ts, factsInputSchema): a target's
-- role, residence or US-person status, whether the process names it, the instrument's form and dates, earlier
-- preservations and emergency measures, offence and protected-person facts. Null when none were stated: the review
-- then derives every fact from the request.
ALTER TABLE requests ADD COLUMN facts jsonb;

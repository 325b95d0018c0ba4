-- What the last review of a request blocked: one "rule|category" per block verdict the review gave (core/review,
-- services/re-review.ts), and when. A re-review run by a clock passing or a fact changing compares against it: a block
-- not there before holds the request and pages the desk. Null until the first review is recorded.
ALTER TABLE requests ADD COLUMN review_blocks jsonb;
ALTER TABLE requests ADD COLUMN reviewed_at timestamptz;

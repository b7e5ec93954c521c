-- Each account chooses the keywords its automatic opt-outs act on (its rule set) and how many
-- business days a review flag may wait; every decision of the rules records the rule set and its
-- version, and every review flag when it was raised and when it is due.
ALTER TABLE accounts ADD COLUMN rule_set TEXT NOT NULL DEFAULT 'reference';
ALTER TABLE accounts ADD COLUMN review_days BIGINT NOT NULL DEFAULT 10;
ALTER TABLE opt_outs ADD COLUMN rule_set TEXT;
ALTER TABLE audit_log ADD COLUMN rule_set TEXT;
ALTER TABLE conversations ADD COLUMN review_raised_at BIGINT;
ALTER TABLE conversations ADD COLUMN review_due_at BIGINT;
-- The review log, read by time: only review lines, so an import's millions of lines stay out of it.
CREATE INDEX audit_log_reviews ON audit_log (at, id) WHERE action IN ('review_raised', 'review_settled');

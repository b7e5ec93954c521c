-- Each account's rule set and review days; which rule set decided each opt-out; when each review
-- flag was raised and is due, for the review queue sorted by due date.
ALTER TABLE accounts ADD COLUMN rule_set TEXT NOT NULL DEFAULT 'reference';
ALTER TABLE accounts ADD COLUMN review_days INTEGER NOT NULL DEFAULT 10;
ALTER TABLE opt_outs ADD COLUMN rule_set TEXT;
ALTER TABLE conversations ADD COLUMN review_raised_at INTEGER;
ALTER TABLE conversations ADD COLUMN review_due_at INTEGER;
CREATE INDEX conversations_review_due ON conversations (review_due_at, id) WHERE review_reason IS NOT NULL;

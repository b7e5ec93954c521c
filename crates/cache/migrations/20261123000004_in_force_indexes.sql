-- Two screens read far more rows than they show at a million contacts.
--
-- The Opt Out Manager counts what a filter matches on every change of filter. Over the list's
-- (account, time) and (source, time) indexes, that count visited the table for every row to
-- see whether it was reversed: half a second for an account of a million. These indexes hold
-- the opt-outs in force only, and carry the other filter column, so that a count by account,
-- source or both is read from one index alone.
DROP INDEX opt_outs_account_time;
DROP INDEX opt_outs_source_time;
CREATE INDEX opt_outs_in_force_account ON opt_outs (account, created_at, id, source) WHERE opt_in_id IS NULL;
CREATE INDEX opt_outs_in_force_source ON opt_outs (source, created_at, id, account) WHERE opt_in_id IS NULL;
CREATE INDEX opt_outs_in_force_time ON opt_outs (created_at, id) WHERE opt_in_id IS NULL;

-- The messenger's "needs review" view walked every conversation newest first looking for the
-- few flagged ones: two seconds when none were. It now walks the flagged ones only.
DROP INDEX conversations_review;
CREATE INDEX conversations_flagged ON conversations (last_at, id) WHERE review_reason IS NOT NULL;

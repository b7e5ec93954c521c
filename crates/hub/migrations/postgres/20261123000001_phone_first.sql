-- Imports were slow: every opt-out went into two indexes keyed by phone in random order. One
-- unique index keyed by phone first now serves both "this number in this account" and "this
-- number in every account"; reversed opt-outs, which only the send check's opt-in question
-- reads, have a small index of their own that an import never writes to.
DROP INDEX opt_outs_phone;
DROP INDEX opt_outs_in_force;
CREATE UNIQUE INDEX opt_outs_in_force ON opt_outs (phone, account_id) WHERE reversed_at IS NULL;
CREATE INDEX opt_outs_reversed ON opt_outs (phone, account_id) WHERE reversed_at IS NOT NULL;

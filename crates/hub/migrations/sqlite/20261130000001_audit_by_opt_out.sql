-- An import wrote each opt-out's audit line into an index keyed by phone, in random order: at a
-- million rows a fifth of the import's time, and more as the log grows. Lines about an opt-out
-- (its recording and its reversal) are now found through the opt-out, by an index whose keys an
-- import appends at the end; only the lines that name no opt-out (provider blocks) keep an
-- index by phone.
CREATE INDEX audit_log_opt_out ON audit_log (opt_out_id, id);
CREATE INDEX audit_log_phone_other ON audit_log (phone, id) WHERE opt_out_id IS NULL;
DROP INDEX audit_log_phone;

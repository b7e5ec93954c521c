-- The screens ask "is this contact opted out of this account?" for every conversation they
-- list. With only `phone` indexed, SQLite chose the (account, time) index for that question and
-- read a third of the list per conversation: seconds at a few thousand rows. One index on both
-- answers it at once, and still serves lookups by phone alone.
CREATE INDEX opt_outs_phone_account ON opt_outs (phone, account);
DROP INDEX opt_outs_phone;

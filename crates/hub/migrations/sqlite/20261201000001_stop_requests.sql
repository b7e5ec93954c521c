-- A request to stop that reached the hub while the number was already opted out of the account:
-- a keyword or a plain request in a reply, a manual or API opt-out, an import row. Each was
-- dropped before, so an opt-in naming the earlier opt-out went through and silently undid a
-- request the contact had just made. Each is now kept with the opt-out in force when it came,
-- and an opt-in naming that opt-out is refused while a request stands after it.
CREATE TABLE stop_requests (
    id INTEGER PRIMARY KEY,
    opt_out_id INTEGER NOT NULL REFERENCES opt_outs (id),
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    phone TEXT NOT NULL,
    source TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    evidence TEXT,
    message_id INTEGER REFERENCES messages (id),
    sender_phone TEXT,
    created_at INTEGER NOT NULL,
    command_id TEXT
);
CREATE INDEX stop_requests_opt_out ON stop_requests (opt_out_id, id);
CREATE TRIGGER stop_requests_no_update BEFORE UPDATE ON stop_requests
BEGIN SELECT RAISE(ABORT, 'requests to stop are never changed'); END;
CREATE TRIGGER stop_requests_no_delete BEFORE DELETE ON stop_requests
BEGIN SELECT RAISE(ABORT, 'requests to stop are never deleted'); END;

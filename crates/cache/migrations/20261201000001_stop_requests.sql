-- Requests to stop that reached the hub while the number was already opted out: shown with the
-- opt-out they came after, and the reason an opt-in naming that opt-out alone is refused.
CREATE TABLE stop_requests (
    id INTEGER PRIMARY KEY,
    opt_out_id INTEGER NOT NULL,
    account TEXT NOT NULL,
    phone TEXT NOT NULL,
    source TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    evidence TEXT,
    sender_phone TEXT,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX stop_requests_phone ON stop_requests (phone, id);

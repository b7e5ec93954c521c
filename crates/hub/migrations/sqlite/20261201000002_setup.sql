-- An organisation sets itself up: sender numbers can be retired (their conversations and
-- blocks stay, and a late reply to one still counts), tokens say who made them and when they
-- were last used, and each provider connection keeps the secret that proves its callbacks
-- genuine, with counts of what arrived.
ALTER TABLE sender_numbers ADD COLUMN retired_at INTEGER;
ALTER TABLE tokens ADD COLUMN created_by TEXT;
ALTER TABLE tokens ADD COLUMN last_used_at INTEGER;

CREATE TABLE provider_connections (
    provider TEXT PRIMARY KEY CHECK (provider IN ('twilio', 'telnyx', 'bandwidth')),
    -- Twilio's auth token, Telnyx's public key, Bandwidth's "username:password": never in an
    -- answer, a log or the feed.
    secret TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    genuine INTEGER NOT NULL DEFAULT 0,
    last_genuine_at INTEGER,
    refused INTEGER NOT NULL DEFAULT 0,
    last_refused_at INTEGER,
    last_refused_why TEXT,
    unknown_senders INTEGER NOT NULL DEFAULT 0,
    last_unknown_sender TEXT,
    last_unknown_sender_at INTEGER
);

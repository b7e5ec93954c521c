-- The desktop's copy of the hub: what the app shows, the feed cursor, and the outbox of the
-- admin's commands. STRICT tables: a value of the wrong type from a broken hub is an error, not
-- a silently stored string.

CREATE TABLE sync_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    -- Which hub this cache mirrors; a cache never mixes two hubs' records.
    hub TEXT,
    cursor INTEGER NOT NULL DEFAULT 0,
    hub_head INTEGER NOT NULL DEFAULT 0,
    last_synced_at INTEGER,
    last_error TEXT
) STRICT;
INSERT INTO sync_state (id) VALUES (1);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    auto_opt_outs INTEGER NOT NULL,
    confirmation_message TEXT NOT NULL,
    default_opt_out_message TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    name TEXT NOT NULL,
    provider INTEGER NOT NULL,
    active INTEGER NOT NULL,
    sender_numbers TEXT NOT NULL
) STRICT;

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL,
    account TEXT NOT NULL,
    sender_phone TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    contact_name TEXT,
    review_reason TEXT
) STRICT;
CREATE INDEX conversations_contact ON conversations (contact_phone);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL,
    direction TEXT NOT NULL,
    body TEXT NOT NULL,
    at INTEGER NOT NULL
) STRICT;
CREATE INDEX messages_conversation ON messages (conversation_id, at);

CREATE TABLE opt_outs (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    phone TEXT NOT NULL,
    source TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    evidence TEXT,
    sender_phone TEXT,
    rule TEXT,
    created_at INTEGER NOT NULL,
    opt_in_id INTEGER,
    opt_in_actor TEXT,
    opt_in_reason TEXT,
    opt_in_at INTEGER
) STRICT;
CREATE INDEX opt_outs_phone ON opt_outs (phone);
CREATE INDEX opt_outs_time ON opt_outs (created_at, id);

CREATE TABLE provider_blocks (
    id INTEGER PRIMARY KEY,
    sender_phone TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    lifted_at INTEGER
) STRICT;
CREATE INDEX provider_blocks_contact ON provider_blocks (contact_phone);

-- Confirmation and opt-out messages the hub queued, by the feed position that announced them.
CREATE TABLE queued_messages (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    sender_phone TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    body TEXT NOT NULL
) STRICT;

-- The admin's commands, written here before anything else happens, and settled by the hub's
-- answer: `accepted` (its changes come on the feed) or `refused` (with the hub's reason).
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    request TEXT NOT NULL,
    summary TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'refused')),
    answer TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    settled_at INTEGER
) STRICT;
CREATE INDEX outbox_pending ON outbox (status, created_at);

-- The hub's record. Times are microseconds since the Unix epoch, UTC; phone numbers are E.164.

-- The change feed. Every write transaction first takes the single head row, so writers commit in
-- the order of the sequence numbers they hand out and a reader can never skip one.
CREATE TABLE feed_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
INSERT INTO feed_head (id, seq) VALUES (1, 0);
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL
);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    auto_opt_outs INTEGER NOT NULL CHECK (auto_opt_outs IN (0, 1)),
    confirmation_message TEXT NOT NULL,
    default_opt_out_message TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    name TEXT NOT NULL,
    provider INTEGER NOT NULL CHECK (provider IN (1, 2)),
    active INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL,
    UNIQUE (account_id, name)
);

-- A sender number belongs to one campaign, so a reply to it names its conversation.
CREATE TABLE sender_numbers (
    phone TEXT PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id)
);

CREATE TABLE contacts (
    phone TEXT PRIMARY KEY,
    name TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    sender_phone TEXT NOT NULL REFERENCES sender_numbers (phone),
    contact_phone TEXT NOT NULL REFERENCES contacts (phone),
    review_reason TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (sender_phone, contact_phone)
);
CREATE INDEX conversations_contact ON conversations (contact_phone);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    provider_message_id TEXT NOT NULL UNIQUE,
    direction TEXT NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
    body TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);

CREATE TABLE opt_outs (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    phone TEXT NOT NULL,
    source TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    evidence TEXT,
    message_id INTEGER REFERENCES messages (id),
    sender_phone TEXT,
    rule TEXT,
    created_at INTEGER NOT NULL,
    reversed_at INTEGER
);
-- At most one opt-out in force per account and number.
CREATE UNIQUE INDEX opt_outs_in_force ON opt_outs (account_id, phone) WHERE reversed_at IS NULL;
CREATE INDEX opt_outs_phone ON opt_outs (phone, account_id);
CREATE INDEX opt_outs_time ON opt_outs (created_at, id);
CREATE INDEX opt_outs_account_time ON opt_outs (account_id, created_at, id);
-- Opt-outs are never deleted, and one reversed stays as it was.
CREATE TRIGGER opt_outs_never_deleted BEFORE DELETE ON opt_outs
BEGIN SELECT RAISE(ABORT, 'opt-outs are never deleted'); END;
CREATE TRIGGER opt_outs_reversal_only BEFORE UPDATE ON opt_outs
WHEN OLD.reversed_at IS NOT NULL OR NEW.reversed_at IS NULL OR NEW.id IS NOT OLD.id
  OR NEW.account_id IS NOT OLD.account_id OR NEW.phone IS NOT OLD.phone OR NEW.source IS NOT OLD.source
  OR NEW.actor IS NOT OLD.actor OR NEW.reason IS NOT OLD.reason OR NEW.evidence IS NOT OLD.evidence
  OR NEW.created_at IS NOT OLD.created_at
BEGIN SELECT RAISE(ABORT, 'an opt-out can only be reversed, once'); END;

CREATE TABLE opt_ins (
    id INTEGER PRIMARY KEY,
    opt_out_id INTEGER NOT NULL UNIQUE REFERENCES opt_outs (id),
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE provider_blocks (
    id INTEGER PRIMARY KEY,
    sender_phone TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    message_id INTEGER REFERENCES messages (id),
    created_at INTEGER NOT NULL,
    lifted_at INTEGER
);
CREATE UNIQUE INDEX provider_blocks_in_force ON provider_blocks (contact_phone, sender_phone) WHERE lifted_at IS NULL;

-- Messages the hub queues about an opt-out: at most one per opt-out.
CREATE TABLE opt_out_messages (
    id INTEGER PRIMARY KEY,
    opt_out_id INTEGER NOT NULL UNIQUE REFERENCES opt_outs (id),
    kind TEXT NOT NULL CHECK (kind IN ('confirmation', 'opt_out_message')),
    sender_phone TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    account_id INTEGER REFERENCES accounts (id),
    phone TEXT NOT NULL,
    sender_phone TEXT,
    source TEXT NOT NULL,
    evidence TEXT,
    reason TEXT NOT NULL,
    opt_out_id INTEGER REFERENCES opt_outs (id),
    command_id TEXT
);
CREATE INDEX audit_log_phone ON audit_log (phone, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Every command the hub has answered, by its client-made id, with the answer.
CREATE TABLE commands (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    request TEXT NOT NULL,
    outcome TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- An import's progress, committed with each batch so that a crashed import resumes.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    content_hash TEXT NOT NULL,
    next_line INTEGER NOT NULL,
    summary TEXT NOT NULL,
    finished INTEGER NOT NULL CHECK (finished IN (0, 1)),
    created_at INTEGER NOT NULL
);

CREATE TABLE tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'texter')),
    hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

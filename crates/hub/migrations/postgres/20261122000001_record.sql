-- The hub's record. Times are microseconds since the Unix epoch, UTC; phone numbers are E.164.

-- The change feed. Every write transaction first takes the single head row, so writers commit in
-- the order of the sequence numbers they hand out and a reader can never skip one.
CREATE TABLE feed_head (id BIGINT PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL);
INSERT INTO feed_head (id, seq) VALUES (1, 0);
CREATE TABLE changes (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL
);

CREATE TABLE accounts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    auto_opt_outs BIGINT NOT NULL CHECK (auto_opt_outs IN (0, 1)),
    confirmation_message TEXT NOT NULL,
    default_opt_out_message TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE campaigns (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    name TEXT NOT NULL,
    provider BIGINT NOT NULL CHECK (provider IN (1, 2)),
    active BIGINT NOT NULL CHECK (active IN (0, 1)),
    created_at BIGINT NOT NULL,
    UNIQUE (account_id, name)
);

-- A sender number belongs to one campaign, so a reply to it names its conversation.
CREATE TABLE sender_numbers (
    phone TEXT COLLATE "C" PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id)
);

CREATE TABLE contacts (
    phone TEXT COLLATE "C" PRIMARY KEY,
    name TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE conversations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    sender_phone TEXT COLLATE "C" NOT NULL REFERENCES sender_numbers (phone),
    contact_phone TEXT COLLATE "C" NOT NULL REFERENCES contacts (phone),
    review_reason TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (sender_phone, contact_phone)
);
CREATE INDEX conversations_contact ON conversations (contact_phone);

CREATE TABLE messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES conversations (id),
    provider_message_id TEXT NOT NULL UNIQUE,
    direction TEXT NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
    body TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);

CREATE TABLE opt_outs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    phone TEXT COLLATE "C" NOT NULL,
    source TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    evidence TEXT,
    message_id BIGINT REFERENCES messages (id),
    sender_phone TEXT COLLATE "C",
    rule TEXT,
    created_at BIGINT NOT NULL,
    reversed_at BIGINT
);
-- At most one opt-out in force per account and number.
CREATE UNIQUE INDEX opt_outs_in_force ON opt_outs (account_id, phone) WHERE reversed_at IS NULL;
CREATE INDEX opt_outs_phone ON opt_outs (phone, account_id);
CREATE INDEX opt_outs_time ON opt_outs (created_at, id);
CREATE INDEX opt_outs_account_time ON opt_outs (account_id, created_at, id);
-- Opt-outs are never deleted, and one reversed stays as it was.
CREATE FUNCTION opt_outs_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'opt-outs are never deleted';
    END IF;
    IF OLD.reversed_at IS NOT NULL OR NEW.reversed_at IS NULL
       OR (NEW.id, NEW.account_id, NEW.phone, NEW.source, NEW.actor, NEW.reason, NEW.created_at)
          IS DISTINCT FROM (OLD.id, OLD.account_id, OLD.phone, OLD.source, OLD.actor, OLD.reason, OLD.created_at)
       OR NEW.evidence IS DISTINCT FROM OLD.evidence THEN
        RAISE EXCEPTION 'an opt-out can only be reversed, once';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER opt_outs_guard BEFORE UPDATE OR DELETE ON opt_outs FOR EACH ROW EXECUTE FUNCTION opt_outs_guard();

CREATE TABLE opt_ins (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    opt_out_id BIGINT NOT NULL UNIQUE REFERENCES opt_outs (id),
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE provider_blocks (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sender_phone TEXT COLLATE "C" NOT NULL,
    contact_phone TEXT COLLATE "C" NOT NULL,
    message_id BIGINT REFERENCES messages (id),
    created_at BIGINT NOT NULL,
    lifted_at BIGINT
);
CREATE UNIQUE INDEX provider_blocks_in_force ON provider_blocks (contact_phone, sender_phone) WHERE lifted_at IS NULL;

-- Messages the hub queues about an opt-out: at most one per opt-out.
CREATE TABLE opt_out_messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    opt_out_id BIGINT NOT NULL UNIQUE REFERENCES opt_outs (id),
    kind TEXT NOT NULL CHECK (kind IN ('confirmation', 'opt_out_message')),
    sender_phone TEXT COLLATE "C" NOT NULL,
    contact_phone TEXT COLLATE "C" NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    account_id BIGINT REFERENCES accounts (id),
    phone TEXT COLLATE "C" NOT NULL,
    sender_phone TEXT COLLATE "C",
    source TEXT NOT NULL,
    evidence TEXT,
    reason TEXT NOT NULL,
    opt_out_id BIGINT REFERENCES opt_outs (id),
    command_id TEXT
);
CREATE INDEX audit_log_phone ON audit_log (phone, id);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Every command the hub has answered, by its client-made id, with the answer.
CREATE TABLE commands (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    request TEXT NOT NULL,
    outcome TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- An import's progress, committed with each batch so that a crashed import resumes.
CREATE TABLE imports (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    content_hash TEXT NOT NULL,
    next_line BIGINT NOT NULL,
    summary TEXT NOT NULL,
    finished BIGINT NOT NULL CHECK (finished IN (0, 1)),
    created_at BIGINT NOT NULL
);

CREATE TABLE tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'texter')),
    hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

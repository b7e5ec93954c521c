-- What the desktop's screens need at a million rows: conversations newest first (by their
-- latest message, kept by a trigger as messages arrive), and opt-out filters by account or
-- source that read the list in time order without sorting it.

-- 0 until the conversation has a message.
ALTER TABLE conversations ADD COLUMN last_at INTEGER NOT NULL DEFAULT 0;
UPDATE conversations SET last_at = IFNULL((SELECT MAX(at) FROM messages m WHERE m.conversation_id = conversations.id), 0);
CREATE TRIGGER messages_last_at AFTER INSERT ON messages BEGIN
    UPDATE conversations SET last_at = NEW.at
    WHERE id = NEW.conversation_id AND last_at < NEW.at;
END;
CREATE INDEX conversations_recent ON conversations (last_at, id);
CREATE INDEX conversations_review ON conversations (review_reason) WHERE review_reason IS NOT NULL;
CREATE INDEX conversations_account ON conversations (account, last_at, id);

CREATE INDEX opt_outs_account_time ON opt_outs (account, created_at, id);
CREATE INDEX opt_outs_source_time ON opt_outs (source, created_at, id);
CREATE INDEX provider_blocks_sender ON provider_blocks (sender_phone, contact_phone);

-- Replies (issue 20): reply_to is the quoted message's mid; reply the server-made snapshot of it as JSON text
-- ({mid, from, type, text?} or, once the quoted message is recalled or deleted, {mid, from, type, recalled: true}).
-- The index finds the replies to refresh when the quoted message is edited, recalled or deleted.
ALTER TABLE messages ADD COLUMN reply_to BIGINT NULL;
ALTER TABLE messages ADD COLUMN reply TEXT NULL;
CREATE INDEX ix_messages_reply_to ON messages (reply_to);

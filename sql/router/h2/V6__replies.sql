-- H2: as ../mysql/V6__replies.sql, with IGNORECASE off: under it H2 turns the table's VARCHAR id columns back into
-- VARCHAR_IGNORECASE when a statement alters the table (see V2/V3's binary ids).
SET IGNORECASE FALSE;
-- Replies (issue 20): reply_to is the quoted message's mid; reply the server-made snapshot of it as JSON text
-- ({mid, from, type, text?} or, once the quoted message is recalled or deleted, {mid, from, type, recalled: true}).
-- The index finds the replies to refresh when the quoted message is edited, recalled or deleted.
ALTER TABLE messages ADD COLUMN reply_to BIGINT NULL;
ALTER TABLE messages ADD COLUMN reply TEXT NULL;
CREATE INDEX ix_messages_reply_to ON messages (reply_to);
SET IGNORECASE TRUE;

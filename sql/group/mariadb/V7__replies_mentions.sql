-- Replies and mentions of group messages (issue 20). reply_to/reply: as the router's V6. mentions: the JSON array of
-- the mentioned members' uids as stored with the message; mention_all: 1 for @all.
ALTER TABLE group_messages ADD COLUMN reply_to BIGINT NULL;
ALTER TABLE group_messages ADD COLUMN reply TEXT NULL;
ALTER TABLE group_messages ADD COLUMN mentions TEXT NULL;
ALTER TABLE group_messages ADD COLUMN mention_all TINYINT NOT NULL DEFAULT 0;
CREATE INDEX ix_group_messages_reply_to ON group_messages (reply_to);
-- One row per mentioned member and message, for unread-mention counts (@all is counted from mention_all).
CREATE TABLE IF NOT EXISTS group_mentions (
  uid BIGINT NOT NULL,
  gid BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  PRIMARY KEY (uid, gid, seq)
);
-- A recalled or deleted message's mention rows are found by (gid, seq).
CREATE INDEX ix_group_mentions_message ON group_mentions (gid, seq);
-- A member's notification level for the group: 0 all, 1 mentions only, 2 none. Decides the message.offline webhook
-- events (push notifications) of the member; a mention is notified at level 1.
ALTER TABLE group_members ADD COLUMN notify TINYINT NOT NULL DEFAULT 0;

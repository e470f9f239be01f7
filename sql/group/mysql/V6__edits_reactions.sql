-- Edits and reactions of group messages (issue 20); see the router's V5 for the same tables of one-to-one messages.
-- Timeline kinds 3 (edit) and 4 (change of reactions) are entries like a recall: their body holds the target mid.
ALTER TABLE group_messages ADD COLUMN edited_at BIGINT NULL;
ALTER TABLE group_messages ADD COLUMN reaction_count INT NOT NULL DEFAULT 0;
-- Earlier bodies of edited group messages, for moderation (server API only).
CREATE TABLE IF NOT EXISTS group_message_edits (
  mid BIGINT NOT NULL,
  version INT NOT NULL,
  body MEDIUMTEXT NULL,
  ts BIGINT NOT NULL,
  PRIMARY KEY (mid, version)
);
-- One row per (message, member, emoji); the emoji compares byte for byte.
CREATE TABLE IF NOT EXISTS group_reactions (
  mid BIGINT NOT NULL,
  uid BIGINT NOT NULL,
  emoji VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
  ts BIGINT NOT NULL,
  PRIMARY KEY (mid, uid, emoji)
);

-- H2: see ../mysql/V5__edits_reactions.sql; IGNORECASE off so the emoji column compares exactly (see V2).
SET IGNORECASE FALSE;
-- Edits and reactions of one-to-one messages (issue 20).
-- messages.edited_at: when the body was last replaced (null: never); reaction_count: rows in reactions for the message,
-- so a sync page asks for reactions only when one of its messages has some.
ALTER TABLE messages ADD COLUMN edited_at BIGINT NULL;
ALTER TABLE messages ADD COLUMN reaction_count INT NOT NULL DEFAULT 0;
-- Earlier bodies of edited messages, for moderation (the server API reads them; clients never see them): version 1 is
-- the body as sent, at ts the time it was written. The current body stays in messages. A recall or purge erases them.
CREATE TABLE IF NOT EXISTS message_edits (
  mid BIGINT NOT NULL,
  version INT NOT NULL,
  body MEDIUMTEXT NULL,
  ts BIGINT NOT NULL,
  PRIMARY KEY (mid, version)
);
-- One row per (message, user, emoji). The emoji compares byte for byte (a binary collation: under the default ones
-- every emoji is equal to every other).
CREATE TABLE IF NOT EXISTS reactions (
  mid BIGINT NOT NULL,
  uid BIGINT NOT NULL,
  emoji VARCHAR(64) NOT NULL,
  ts BIGINT NOT NULL,
  PRIMARY KEY (mid, uid, emoji)
);
SET IGNORECASE TRUE;

-- Old step 2 of the single pre-Flyway history (V002__messages.sql: all but blocks, which is the api's).
-- A database that recorded step 2 in schema_version is baselined past this version (docs/architecture.md, Storage).
-- One-to-one messages: one row per message. sender_seq / recipient_seq are the message's seq in each party's inbox
-- (equal for a message to oneself); recv_no counts the messages the recipient has received from this sender, so
-- unread counts come from cursors instead of counting rows.
CREATE TABLE IF NOT EXISTS messages (
  mid BIGINT NOT NULL PRIMARY KEY,
  sender BIGINT NOT NULL,
  recipient BIGINT NOT NULL,
  cid VARCHAR(64) NOT NULL,
  type VARCHAR(32) NOT NULL,
  body MEDIUMTEXT NULL,
  ts BIGINT NOT NULL,
  sender_seq BIGINT NOT NULL,
  recipient_seq BIGINT NOT NULL,
  recv_no BIGINT NOT NULL,
  recalled TINYINT NOT NULL DEFAULT 0,
  delivered TINYINT NOT NULL DEFAULT 0,
  UNIQUE KEY uk_messages_sender_cid (sender, cid),
  KEY ix_messages_pair (sender, recipient, mid),
  KEY ix_messages_recipient_seq (recipient, sender, recipient_seq)
);

-- Each user's inbox: every message to or from the user and every recall, at a seq that is strictly increasing and
-- gap-free per user. kind: 0 = message, 1 = recall of message mid.
CREATE TABLE IF NOT EXISTS inbox (
  uid BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  kind TINYINT NOT NULL,
  mid BIGINT NOT NULL,
  PRIMARY KEY (uid, seq)
);

-- Per-user inbox counter (the last seq handed out) and the highest seq any device of the user confirmed.
CREATE TABLE IF NOT EXISTS inbox_seq (
  uid BIGINT NOT NULL PRIMARY KEY,
  seq BIGINT NOT NULL,
  delivered BIGINT NOT NULL DEFAULT 0
);

-- Per-device delivered cursor (msg.recv).
CREATE TABLE IF NOT EXISTS device_cursors (
  uid BIGINT NOT NULL,
  device VARCHAR(16) NOT NULL,
  delivered BIGINT NOT NULL,
  PRIMARY KEY (uid, device)
);

-- One row per (user, peer) conversation: the last message, how many messages the user received from the peer, and
-- the read cursor (read_seq in the user's inbox, read_no = recv_no of the last message read).
-- No secondary index on purpose: with one on (uid, last_mid), MariaDB 10.11 scanned the table for the batch lookups
-- "(uid, peer) IN (...)" (15 ms per batch of 256 on 1,000 rows instead of under 1 ms).
CREATE TABLE IF NOT EXISTS conversations (
  uid BIGINT NOT NULL,
  peer BIGINT NOT NULL,
  last_mid BIGINT NOT NULL,
  received BIGINT NOT NULL DEFAULT 0,
  read_seq BIGINT NOT NULL DEFAULT 0,
  read_no BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (uid, peer)
);

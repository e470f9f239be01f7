-- Groups. seq is the last seq handed out in the group's timeline (gap-free, bumped inside the writing transaction).
-- Named im_groups because GROUPS is a reserved word in MySQL 8.
CREATE TABLE IF NOT EXISTS im_groups (
  gid BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(64) NOT NULL,
  owner BIGINT NOT NULL,
  seq BIGINT NOT NULL DEFAULT 0,
  muted TINYINT NOT NULL DEFAULT 0,
  dissolved TINYINT NOT NULL DEFAULT 0,
  max_members INT NOT NULL,
  created_at BIGINT NOT NULL
);

-- Members. role: 0 member, 1 admin, 2 owner. joined_seq: the group's seq when the member joined (the member reads
-- the timeline after it); read_seq: the member's read cursor; muted: 1 when an owner/admin muted this member.
CREATE TABLE IF NOT EXISTS group_members (
  gid BIGINT NOT NULL,
  uid BIGINT NOT NULL,
  role TINYINT NOT NULL DEFAULT 0,
  muted TINYINT NOT NULL DEFAULT 0,
  joined_seq BIGINT NOT NULL,
  read_seq BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (gid, uid),
  KEY ix_group_members_uid (uid)
);

-- The group timeline, stored once per group (read diffusion: no per-member rows). kind: 0 message, 1 event
-- (membership and settings changes; body holds the event), 2 recall of message mid.
CREATE TABLE IF NOT EXISTS group_messages (
  gid BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  kind TINYINT NOT NULL,
  mid BIGINT NOT NULL,
  sender BIGINT NOT NULL,
  cid VARCHAR(64) NULL,
  type VARCHAR(32) NULL,
  body MEDIUMTEXT NULL,
  ts BIGINT NOT NULL,
  recalled TINYINT NOT NULL DEFAULT 0,
  PRIMARY KEY (gid, seq),
  UNIQUE KEY uk_group_messages_mid (mid),
  UNIQUE KEY uk_group_messages_cid (gid, sender, cid)
);

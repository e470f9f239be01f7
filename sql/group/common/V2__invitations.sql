-- Old step 5 of the single pre-Flyway history (V005__group_privacy.sql: its group_invitations table).
-- A database that recorded step 5 in schema_version is baselined past this version (docs/architecture.md, Storage).
-- Pending invitations to a group, one per (user, group), until the user accepts or declines, the group is dissolved,
-- the user joins by other means, or newer invitations push it out (verticles.group.maxInvitations per user).
CREATE TABLE IF NOT EXISTS group_invitations (
  uid BIGINT NOT NULL,
  gid BIGINT NOT NULL,
  inviter BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (uid, gid),
  KEY ix_group_invitations_gid (gid)
);

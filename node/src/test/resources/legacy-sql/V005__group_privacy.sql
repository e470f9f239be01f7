-- Who may add a user to a group directly. group_add: 0 = everyone, 1 = contacts, 2 = nobody; a user with no row
-- has the default, everyone. Anyone else's add becomes an invitation in group_invitations.
CREATE TABLE IF NOT EXISTS user_privacy (
  uid BIGINT NOT NULL PRIMARY KEY,
  group_add TINYINT NOT NULL,
  updated_at BIGINT NOT NULL
);

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

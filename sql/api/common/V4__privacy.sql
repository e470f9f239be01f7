-- Old step 5 of the single pre-Flyway history (V005__group_privacy.sql: its user_privacy table).
-- A database that recorded step 5 in schema_version is baselined past this version (docs/architecture.md, Storage).
-- Who may add a user to a group directly. group_add: 0 = everyone, 1 = contacts, 2 = nobody; a user with no row
-- has the default, everyone. Anyone else's add becomes an invitation in group_invitations.
CREATE TABLE IF NOT EXISTS user_privacy (
  uid BIGINT NOT NULL PRIMARY KEY,
  group_add TINYINT NOT NULL,
  updated_at BIGINT NOT NULL
);

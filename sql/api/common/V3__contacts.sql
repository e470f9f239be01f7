-- Old step 4 of the single pre-Flyway history (V004__contacts.sql).
-- A database that recorded step 4 in schema_version is baselined past this version (docs/architecture.md, Storage).
-- Profiles beyond the username and nickname kept in users, and the contact graph.
CREATE TABLE IF NOT EXISTS user_profiles (
  uid BIGINT NOT NULL PRIMARY KEY,
  avatar VARCHAR(512) NULL,
  updated_at BIGINT NOT NULL
);

-- One row per direction: (uid, peer) is uid's view of peer. state: 0 = uid asked peer, 1 = peer asked uid,
-- 2 = contacts. Both rows change in one transaction.
CREATE TABLE IF NOT EXISTS contacts (
  uid BIGINT NOT NULL,
  peer BIGINT NOT NULL,
  state TINYINT NOT NULL,
  message VARCHAR(200) NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (uid, peer)
);

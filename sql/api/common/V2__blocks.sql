-- Old step 2 of the single pre-Flyway history (V002__messages.sql: its blocks table).
-- A database that recorded step 2 in schema_version is baselined past this version (docs/architecture.md, Storage).
-- Users a user blocked: messages from a blocked user are refused with code 'blocked'.
CREATE TABLE IF NOT EXISTS blocks (
  owner BIGINT NOT NULL,
  blocked BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (owner, blocked)
);

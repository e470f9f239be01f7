-- Users of the app's own identity provider (auth.external): the app's id for a user, in the tokens of one issuer,
-- mapped to the Switchboard user made for them on first use.
CREATE TABLE IF NOT EXISTS external_identities (
  issuer VARCHAR(255) NOT NULL,
  external_id VARCHAR(128) NOT NULL,
  uid BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (issuer, external_id),
  UNIQUE KEY uk_external_identities_uid (uid)
);

-- A ban by the server API (epoch ms; null: not banned): no login, no token, no session until unbanned.
ALTER TABLE users ADD COLUMN banned_at BIGINT NULL;
-- When the user was deleted by the server API (epoch ms; null: not deleted). A deleted user keeps its row (its uid
-- stays taken and its messages keep their sender) without its profile, and cannot log in.
ALTER TABLE users ADD COLUMN deleted_at BIGINT NULL;

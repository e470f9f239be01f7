-- Accounts. Usernames are stored lower-case, so uniqueness is case-insensitive on every backend.
CREATE TABLE IF NOT EXISTS users (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username VARCHAR(32) NOT NULL,
  password_hash VARCHAR(200) NOT NULL,
  nickname VARCHAR(64) NULL,
  kind VARCHAR(16) NOT NULL DEFAULT 'user',
  created_at BIGINT NOT NULL,
  UNIQUE KEY uk_users_username (username)
);

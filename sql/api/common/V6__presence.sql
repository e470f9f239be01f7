-- Live presence (issue 20, part 5). Who may see a user's last-seen time: last_seen 0 = everyone, 1 = contacts,
-- 2 = nobody (a user with no row has the default, everyone).
ALTER TABLE user_privacy ADD COLUMN last_seen TINYINT NOT NULL DEFAULT 0;
-- When each user's last session ended (epoch ms), written once per announced offline (debounced, not per session).
CREATE TABLE IF NOT EXISTS user_last_seen (
  uid BIGINT NOT NULL PRIMARY KEY,
  seen_at BIGINT NOT NULL
);

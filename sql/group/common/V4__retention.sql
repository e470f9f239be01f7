-- Retention: a group's own limit on the age of its messages in days (null: the global
-- verticles.group.retentionDays), and the index the server API uses to find one user's messages (purge, export).
ALTER TABLE im_groups ADD COLUMN retention_days INT NULL;
CREATE INDEX ix_group_messages_sender ON group_messages (sender, mid);

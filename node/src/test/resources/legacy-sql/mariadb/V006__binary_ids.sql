-- MariaDB's variant of sql/V006__binary_ids.sql: MariaDB (10.2 and later) has no utf8mb4_0900_bin; its binary
-- NO PAD collation is utf8mb4_nopad_bin.
ALTER TABLE messages MODIFY cid VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL;
ALTER TABLE group_messages MODIFY cid VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NULL;
ALTER TABLE device_cursors MODIFY device VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL;

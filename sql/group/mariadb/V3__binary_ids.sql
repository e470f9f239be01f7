-- MariaDB's V3 (see ../mysql/V3__binary_ids.sql): MariaDB's binary NO PAD collation is utf8mb4_nopad_bin.
-- Old step 6 (sql/mariadb/V006__binary_ids.sql: the group's column).
ALTER TABLE group_messages MODIFY cid VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NULL;

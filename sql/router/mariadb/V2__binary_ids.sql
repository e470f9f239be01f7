-- MariaDB's V2 (see ../mysql/V2__binary_ids.sql): MariaDB (10.2 and later) has no utf8mb4_0900_bin; its binary
-- NO PAD collation is utf8mb4_nopad_bin. Old step 6 (sql/mariadb/V006__binary_ids.sql: the router's columns).
ALTER TABLE messages MODIFY cid VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL;
ALTER TABLE device_cursors MODIFY device VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL;

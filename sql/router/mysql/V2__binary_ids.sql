-- Old step 6 of the single pre-Flyway history (V006__binary_ids.sql: the router's columns).
-- A database that recorded step 6 in schema_version is baselined past this version (docs/architecture.md, Storage).
-- Ids the code compares exactly (a client's cid, a device name) compare byte for byte in the database too: a binary
-- collation, so 'abc', 'ABC' and 'abc ' are three keys. NO PAD matters: a PAD SPACE collation (utf8mb4_bin on MySQL
-- and MariaDB) treats trailing spaces as absent. This file is for MySQL 8 (utf8mb4_0900_bin, NO PAD, since 8.0.17);
-- MariaDB and H2 run their own V2 in ../mariadb/ and ../h2/. The unique keys over these columns stay as they are.
ALTER TABLE messages MODIFY cid VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL;
ALTER TABLE device_cursors MODIFY device VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL;

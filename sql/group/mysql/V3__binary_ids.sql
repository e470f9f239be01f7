-- Old step 6 of the single pre-Flyway history (V006__binary_ids.sql: the group's column).
-- A database that recorded step 6 in schema_version is baselined past this version (docs/architecture.md, Storage).
-- A client's cid compares byte for byte: a binary NO PAD collation, so 'abc', 'ABC' and 'abc ' are three keys (the
-- router's V2 says why NO PAD). MySQL 8.0.17+: utf8mb4_0900_bin; MariaDB and H2 run their own V3 in ../mariadb/ and
-- ../h2/. The unique key (gid, sender, cid) stays as it is.
ALTER TABLE group_messages MODIFY cid VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NULL;

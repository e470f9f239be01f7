-- H2's V2 (see ../mysql/V2__binary_ids.sql). The database URL sets IGNORECASE=TRUE (text compares like MySQL's
-- default collations), and under it every VARCHAR a statement creates or alters becomes VARCHAR_IGNORECASE, whatever
-- type or COLLATE the statement names. So the setting is off for these statements only (Flyway runs a migration on one
-- connection, before the node opens its pool). H2's plain VARCHAR compares exactly, trailing spaces included.
-- Old step 6 (sql/h2/V006__binary_ids.sql: the router's columns).
SET IGNORECASE FALSE;
ALTER TABLE messages MODIFY COLUMN cid VARCHAR(64) NOT NULL;
ALTER TABLE device_cursors MODIFY COLUMN device VARCHAR(16) NOT NULL;
SET IGNORECASE TRUE;

-- H2's variant of sql/V006__binary_ids.sql. The database URL sets IGNORECASE=TRUE (text compares like MySQL's default
-- collations), and under it every VARCHAR a statement creates or alters becomes VARCHAR_IGNORECASE, whatever type or
-- COLLATE the statement names. So the setting is off for these statements only (Migrations runs a script on one
-- connection, and nothing else opens one meanwhile). H2's plain VARCHAR compares exactly, trailing spaces included.
SET IGNORECASE FALSE;
ALTER TABLE messages MODIFY COLUMN cid VARCHAR(64) NOT NULL;
ALTER TABLE group_messages MODIFY COLUMN cid VARCHAR(64) NULL;
ALTER TABLE device_cursors MODIFY COLUMN device VARCHAR(16) NOT NULL;
SET IGNORECASE TRUE;

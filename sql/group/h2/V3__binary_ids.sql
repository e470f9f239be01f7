-- H2's V3 (see ../mysql/V3__binary_ids.sql): IGNORECASE off around the ALTER, as in the router's h2/V2, so the column
-- becomes plain VARCHAR, which compares exactly. Old step 6 (sql/h2/V006__binary_ids.sql: the group's column).
SET IGNORECASE FALSE;
ALTER TABLE group_messages MODIFY COLUMN cid VARCHAR(64) NULL;
SET IGNORECASE TRUE;

-- A sample owner's schema for the launcher's tests: one step for every database, one per vendor.
CREATE TABLE sample_notes (id BIGINT NOT NULL PRIMARY KEY, note VARCHAR(64) NOT NULL);

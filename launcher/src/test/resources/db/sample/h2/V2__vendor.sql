-- The h2 step: records which vendor folder ran.
INSERT INTO sample_notes (id, note) VALUES (2, 'h2');

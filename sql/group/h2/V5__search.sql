-- Message search on H2 (docs/architecture.md, "Search"): no FULLTEXT index, the group verticle scans the messages of
-- the user's groups newest first with LIKE, bounded per request (see ../../router/h2/V4__search.sql). Nothing to
-- create: this version keeps H2's history in step with MySQL's and MariaDB's.
SELECT 1;

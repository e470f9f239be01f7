-- Message search on H2 (docs/architecture.md, "Search"): H2 has no FULLTEXT index in SQL (its FullText and
-- FullTextLucene add-ons keep their own tables and triggers), so the router scans a user's messages newest first with
-- LIKE, bounded per request. Nothing to create: this version keeps H2's history in step with MySQL's and MariaDB's.
SELECT 1;

-- Message search (GET /api/v1/search; docs/architecture.md, "Search"): a FULLTEXT index over the stored body text of
-- group messages (the timeline's events and recalls have one too, and are never searched). See
-- ../../router/mariadb/V4__search.sql for the words InnoDB indexes and the one-time rebuild.
ALTER TABLE group_messages ADD FULLTEXT INDEX ft_group_messages_body (body);

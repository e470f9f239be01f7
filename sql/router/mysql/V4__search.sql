-- Message search (GET /api/v1/search; docs/architecture.md, "Search"): a FULLTEXT index over the stored body text.
-- InnoDB indexes words of 3 to 84 characters (innodb_ft_min_token_size, innodb_ft_max_token_size) that are not
-- stopwords; the router matches shorter words and stopwords with LIKE. Adding the first FULLTEXT index to a table
-- rebuilds it (InnoDB adds its hidden FTS_DOC_ID column): on a large table this takes a while, once.
ALTER TABLE messages ADD FULLTEXT INDEX ft_messages_body (body);

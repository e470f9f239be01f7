-- The index the server API uses to page through one user's sent messages (export, purge) in mid order.
CREATE INDEX ix_messages_sender_mid ON messages (sender, mid);

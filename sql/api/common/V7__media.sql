-- Media uploads (POST /api/v1/media): one row per upload, for one conversation (peer: the other user of a one-to-one
-- conversation, else 0; gid: the group, else 0). The bytes are a blob named by their SHA-256 in the media store, shared
-- by every upload of the same content and deleted with the last row that names it. width/height 0: not an image.
-- id: 32 lower-case hex digits (128 random bits), so the collation's case rules cannot matter.
CREATE TABLE IF NOT EXISTS media (
  id CHAR(32) NOT NULL,
  owner BIGINT NOT NULL,
  peer BIGINT NOT NULL,
  gid BIGINT NOT NULL,
  sha256 CHAR(64) NOT NULL,
  size BIGINT NOT NULL,
  mime VARCHAR(127) NOT NULL,
  name VARCHAR(255) NULL,
  width INT NOT NULL,
  height INT NOT NULL,
  thumbnail TINYINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY ix_media_owner (owner),
  KEY ix_media_sha256 (sha256),
  KEY ix_media_created (created_at)
);

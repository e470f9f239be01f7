package dev.switchboard.api.store;

import io.vertx.core.Future;
import java.util.List;

/**
 * The API's {@code media} table: one row per upload (its id, who uploaded it, for which conversation, and what it is),
 * naming the blob of its content by SHA-256, so that uploads of the same bytes share one blob. Every future completes
 * on the caller's context; a database failure fails it with the driver's exception.
 */
public interface MediaStore {
  /**
   * One upload. {@code peer} is the other user of a one-to-one conversation (0 for a group), {@code gid} the group
   * (0 for one-to-one); {@code width}/{@code height} are 0 when unknown (not an image, or not decodable).
   */
  record Media(String id, long owner, long peer, long gid, String sha256, long size, String mime, String name,
               int width, int height, boolean thumbnail, long createdAt) {
  }

  /** Records an upload. */
  Future<Void> insert(Media media);

  /** The upload {@code id}, or null. */
  Future<Media> find(String id);

  /** Deletes upload {@code id}; completes with its content hash, or null when there was none. */
  Future<String> delete(String id);

  /** Deletes every upload of {@code owner}; completes with their content hashes (one per upload deleted). */
  Future<List<String>> deleteOwner(long owner);

  /**
   * Deletes up to {@code limit} of the oldest uploads made before {@code before} (epoch ms), in one transaction;
   * completes with their content hashes (one per upload deleted).
   */
  Future<List<String>> deleteOlderThan(long before, int limit);

  /** Whether any upload still names content {@code sha256}. */
  Future<Boolean> referenced(String sha256);
}

package dev.switchboard.api.media;

import dev.switchboard.api.store.MediaStore;
import io.vertx.core.Future;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Deleting media: the rows go first, then each blob (and thumbnail) that no row names any more. Used by
 * {@code DELETE /api/v1/media/{id}}, a user's purge (server API) and the retention job. A blob shared with another
 * upload stays. Futures complete on the caller's context.
 */
public final class MediaDeletion {
  private final MediaStore store;
  private final BlobStore blobs;

  public MediaDeletion(MediaStore store, BlobStore blobs) {
    this.store = store;
    this.blobs = blobs;
  }

  /** Deletes upload {@code id}; completes with false when there was none. */
  public Future<Boolean> delete(String id) {
    return store.delete(id).compose(hash -> hash == null ? Future.succeededFuture(false)
        : release(List.of(hash)).map(true));
  }

  /** Deletes every upload of {@code uid}; completes with how many went. */
  public Future<Integer> deleteOwner(long uid) {
    return store.deleteOwner(uid).compose(hashes -> release(hashes).map(hashes.size()));
  }

  /** Deletes up to {@code limit} uploads older than {@code before} (epoch ms); completes with how many went. */
  public Future<Integer> deleteOlderThan(long before, int limit) {
    return store.deleteOlderThan(before, limit).compose(hashes -> release(hashes).map(hashes.size()));
  }

  /** Deletes the blobs of {@code hashes} that no upload names any more, one after another. */
  private Future<Void> release(List<String> hashes) {
    Future<Void> chain = Future.succeededFuture();
    for (String hash : new LinkedHashSet<>(hashes)) {
      chain = chain.compose(v -> store.referenced(hash)).compose(used -> used ? Future.succeededFuture()
          : blobs.delete(hash).compose(v -> blobs.delete(hash + ".thumb")));
    }
    return chain;
  }
}

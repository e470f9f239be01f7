package dev.switchboard.api.media;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.http.HttpServerResponse;

/**
 * Where media bytes live, by key: a file's SHA-256 (hex) for its content, one blob per distinct content however many
 * uploads name it, and {@code <sha256>.thumb} for an image's thumbnail. The default is {@link LocalBlobStore} (a
 * directory); an S3-compatible store can implement the same six methods (an upload is staged in a local file, which
 * {@link #keep} then sends on). Every future completes on the caller's context; no method blocks.
 */
public interface BlobStore {
  /** An upload in progress: a local file open for writing, owned by the caller until {@link #keep} or discard. */
  record Staged(String path, AsyncFile file) {
  }

  /** Opens a new staged file for an upload. */
  Future<Staged> stage();

  /**
   * Makes the closed staged file the blob {@code key}; when that blob exists already (the same content uploaded
   * before), the staged file is dropped instead. The staged file is gone afterwards either way.
   */
  Future<Void> keep(Staged staged, String key);

  /** Drops a staged file (an upload that failed or was refused); never fails. */
  Future<Void> discard(Staged staged);

  /** Stores a small blob (a thumbnail) from memory. */
  Future<Void> put(String key, Buffer bytes);

  /** Deletes blob {@code key}; succeeds when there was none. */
  Future<Void> delete(String key);

  /**
   * Streams {@code length} bytes of blob {@code key} from {@code offset} as the response's body (headers set by the
   * caller); fails {@code not_found} when the blob is missing.
   */
  Future<Void> send(HttpServerResponse response, String key, long offset, long length);
}

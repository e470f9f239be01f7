package dev.switchboard.api.media;

import dev.switchboard.api.store.MediaStore;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * What the media routes run on: the settings, the table, the blob store, the image workers, the URL signer, the
 * deletion rules, and {@code streamed}: the connection guard's hand-over of an upload's timing to the upload itself
 * (its minimum rate replaces the body timeout).
 */
public record MediaParts(MediaConfig config, MediaStore store, BlobStore blobs, Images images, MediaUrls urls,
                         MediaDeletion deletion, Handler<HttpServerRequest> streamed) {
}

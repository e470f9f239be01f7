package dev.switchboard.api.media;

import dev.switchboard.shared.config.RetentionConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * Media uploads ({@code verticles.api.media}).
 *
 * @param dir              where the local-disk store keeps blobs, thumbnails and uploads in progress (default
 *                         {@code ./data/media}); several API instances must share it (docs/architecture.md)
 * @param maxBytes         largest file accepted (64 MiB); a bigger body is cut off with {@code 413 request_too_large}
 * @param types            MIME types accepted (exact, or {@code image/*} style prefixes); anything else is
 *                         {@code 415 unsupported_media_type}
 * @param urlTtlSeconds    lifetime of a signed download URL (300)
 * @param thumbnailPx      longest side of a thumbnail (320)
 * @param maxPixels        images with more pixels than this (width × height from the header, before decoding) get
 *                         no thumbnail and no decoding (40 million): the guard against decompression bombs
 * @param imageThreads     worker threads that decode images and make thumbnails (1)
 * @param maxImageJobs     image jobs running or waiting per API instance (8); past it an image upload is answered
 *                         {@code 503 unavailable}
 * @param minBytesPerSecond the slowest an upload's body may arrive once {@code connectionLimits.bodyTimeoutMs} has
 *                         passed (16 KiB/s): the body may take bodyTimeoutMs + received bytes / this rate in all
 * @param retention        how long media is kept ({@code retention}, as for messages; default: the router's
 *                         {@code retention}, which the launcher copies here when this one is not set)
 */
public record MediaConfig(String dir, long maxBytes, List<String> types, long urlTtlSeconds, int thumbnailPx,
                          long maxPixels, int imageThreads, int maxImageJobs, long minBytesPerSecond,
                          RetentionConfig retention) {
  /** The allow-list when none is configured. */
  public static final List<String> DEFAULT_TYPES = List.of("image/jpeg", "image/png", "image/gif", "image/webp",
      "image/bmp", "audio/*", "video/*", "application/pdf", "text/plain", "application/zip",
      "application/octet-stream");

  public static MediaConfig from(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    List<String> types = j.getJsonArray("types", new JsonArray(DEFAULT_TYPES)).stream()
        .map(t -> String.valueOf(t).strip().toLowerCase(Locale.ROOT)).toList();
    MediaConfig c = new MediaConfig(j.getString("dir", "./data/media"), j.getLong("maxBytes", 64L << 20), types,
        j.getLong("urlTtlSeconds", 300L), j.getInteger("thumbnailPx", 320), j.getLong("maxPixels", 40_000_000L),
        j.getInteger("imageThreads", 1), j.getInteger("maxImageJobs", 8), j.getLong("minBytesPerSecond", 16_384L),
        RetentionConfig.from(j.getJsonObject("retention")));
    if (c.maxBytes < 1 || c.urlTtlSeconds < 1 || c.thumbnailPx < 16 || c.thumbnailPx > 4096 || c.maxPixels < 1
        || c.imageThreads < 1 || c.maxImageJobs < 1 || c.minBytesPerSecond < 1 || types.isEmpty()) {
      throw new IllegalArgumentException("api.media: maxBytes, urlTtlSeconds, maxPixels, imageThreads, maxImageJobs "
          + "and minBytesPerSecond must be positive, thumbnailPx 16..4096, types not empty");
    }
    return c;
  }

  /** Whether {@code mime} (lower case, without parameters) is on the allow-list. */
  public boolean allows(String mime) {
    for (String t : types) {
      if (t.equals(mime) || (t.endsWith("/*") && mime.startsWith(t.substring(0, t.length() - 1)))) {
        return true;
      }
    }
    return false;
  }
}

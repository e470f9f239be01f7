package dev.switchboard.api.media;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Image dimensions and thumbnails (JPEG, longest side {@code thumbnailPx}), made with {@code javax.imageio} on a
 * worker pool of {@code imageThreads} shared by the process's API instances, never on an event loop. At most
 * {@code maxImageJobs} jobs run or wait per instance: past it {@link #probe} fails at once with {@code unavailable}
 * ({@code retryAfterMs} 1000). Against decompression bombs the size is read from the header first, and an image of
 * more than {@code maxPixels} is not decoded; others are decoded subsampled, so that at most about four times the
 * thumbnail's pixels are in memory whatever the image's size. Futures complete on the caller's context.
 */
public final class Images {
  /** What an image is: its size (0×0 when unreadable) and its thumbnail (null: none). */
  public record Probe(int width, int height, byte[] thumbnail) {
    static final Probe NONE = new Probe(0, 0, null);
  }

  /** The types the JDK decodes; other types (image/webp among them) are stored without dimensions. */
  private static final Set<String> DECODED = Set.of("image/jpeg", "image/png", "image/gif", "image/bmp");

  private final WorkerExecutor workers;
  private final int thumbnailPx;
  private final long maxPixels;
  private final int maxJobs;
  private final AtomicInteger pending = new AtomicInteger();

  public Images(Vertx vertx, MediaConfig config) {
    this.workers = vertx.createSharedWorkerExecutor("switchboard-media-images", config.imageThreads());
    this.thumbnailPx = config.thumbnailPx();
    this.maxPixels = config.maxPixels();
    this.maxJobs = config.maxImageJobs();
  }

  /** Whether files of {@code mime} get dimensions and a thumbnail. */
  public static boolean decoded(String mime) {
    return DECODED.contains(mime);
  }

  /** The size and thumbnail of the image in local file {@code path}; {@code unavailable} when saturated. */
  public Future<Probe> probe(String path) {
    if (pending.incrementAndGet() > maxJobs) {
      pending.decrementAndGet();
      return Future.failedFuture(new ImException(ErrorCode.UNAVAILABLE, "too many images in progress; retry shortly",
          new JsonObject().put("retryAfterMs", 1000)));
    }
    return workers.executeBlocking(() -> read(path), false).andThen(ar -> pending.decrementAndGet());
  }

  private Probe read(String path) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new File(path))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        return Probe.NONE;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w <= 0 || h <= 0 || (long) w * h > maxPixels) {
          return new Probe(Math.max(0, w), Math.max(0, h), null);
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int step = Math.max(1, Math.max(w, h) / (2 * thumbnailPx));
        param.setSourceSubsampling(step, step, 0, 0);
        return new Probe(w, h, thumbnail(reader.read(0, param)));
      } catch (IOException | RuntimeException e) {
        // A file that claims to be an image but does not decode is kept as a file, without a thumbnail.
        return Probe.NONE;
      } finally {
        reader.dispose();
      }
    }
  }

  private byte[] thumbnail(BufferedImage image) throws IOException {
    double scale = Math.min(1.0, (double) thumbnailPx / Math.max(image.getWidth(), image.getHeight()));
    int tw = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int th = Math.max(1, (int) Math.round(image.getHeight() * scale));
    BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, tw, th);
      g.drawImage(image, 0, 0, tw, th, null);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
    ImageIO.write(out, "jpeg", bytes);
    return bytes.toByteArray();
  }
}

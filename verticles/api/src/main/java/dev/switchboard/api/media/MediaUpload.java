package dev.switchboard.api.media;

import dev.switchboard.api.http.Authn;
import dev.switchboard.api.http.HttpErrors;
import dev.switchboard.api.store.MediaStore.Media;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * {@code POST /api/v1/media?to=<uid>|group=<gid>[&name=]}, the body the file and {@code Content-Type} its type →
 * 201 {@code {id, type, size, name, w, h, thumbnail, sha256, to|group}}. The body is never held in memory: it is
 * read with backpressure into a staged file of the blob store while its SHA-256 is computed chunk by chunk, so the
 * heap holds at most the file's write queue. The size limit is checked from {@code Content-Length} before reading
 * and on every chunk; past it the answer is {@code 413 request_too_large} and the connection closes. The upload times
 * itself instead of the guard's body timeout: once {@code bodyTimeoutMs} has passed it must have received
 * {@code minBytesPerSecond} for every second since its headers, or it is answered {@code 408 upload_too_slow} and
 * its connection closed; between chunks it holds no thread. Images are probed (dimensions, thumbnail) on the image
 * workers after the body is in. One instance per request; everything runs on the request's event loop.
 */
final class MediaUpload {
  /** Set in the routing context once the upload decides how its connection ends. */
  static final String OWNED = "switchboard.media.upload";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_NAME = 255;

  private final Vertx vertx;
  private final MediaParts media;
  private final MediaAccess access;
  private final long bodyTimeoutMs;
  private final RoutingContext ctx;
  private final HttpServerRequest request;
  private final MessageDigest sha;
  private BlobStore.Staged staged;
  private long size;
  private long started;
  private long timer = -1;
  private boolean done;

  private MediaUpload(Vertx vertx, MediaParts media, MediaAccess access, long bodyTimeoutMs, RoutingContext ctx) {
    this.vertx = vertx;
    this.media = media;
    this.access = access;
    this.bodyTimeoutMs = bodyTimeoutMs;
    this.ctx = ctx;
    this.request = ctx.request();
    try {
      this.sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Serves one upload (the request was paused before authentication, so no byte of its body is lost). */
  static void handle(Vertx vertx, MediaParts media, MediaAccess access, long bodyTimeoutMs, RoutingContext ctx) {
    new MediaUpload(vertx, media, access, bodyTimeoutMs, ctx).start();
  }

  private void start() {
    ctx.put(OWNED, true);
    long uid = Authn.uid(ctx);
    String toParam = request.getParam("to");
    String groupParam = request.getParam("group");
    if ((toParam == null) == (groupParam == null)) {
      refuse(new ImException(ErrorCode.INVALID_FIELD, "exactly one of the query parameters 'to' and 'group' is "
          + "required"));
      return;
    }
    long to;
    long gid;
    String mime;
    String name;
    try {
      to = toParam == null ? 0 : Authn.query(ctx, "to", 0, 1, Long.MAX_VALUE);
      gid = groupParam == null ? 0 : Authn.query(ctx, "group", 0, 1, Long.MAX_VALUE);
      mime = mime(request.getHeader(HttpHeaders.CONTENT_TYPE));
      name = name(request.getParam("name"));
      String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
      if (length != null && parseLength(length) > media.config().maxBytes()) {
        throw tooLarge();
      }
    } catch (ImException e) {
      refuse(e);
      return;
    }
    access.mayUpload(uid, to, gid).compose(v -> media.blobs().stage()).onSuccess(s -> {
      staged = s;
      receive(uid, to, gid, mime, name);
    }).onFailure(this::refuse);
  }

  private void receive(long uid, long to, long gid, String mime, String name) {
    media.streamed().handle(request);
    started = System.currentTimeMillis();
    timer = vertx.setPeriodic(Math.max(50, Math.min(1_000, bodyTimeoutMs / 4)), t -> checkRate());
    request.handler(chunk -> {
      if (done) {
        return;
      }
      size += chunk.length();
      if (size > media.config().maxBytes()) {
        refuse(tooLarge());
        return;
      }
      sha.update(chunk.getBytes());
      staged.file().write(chunk);
      if (staged.file().writeQueueFull()) {
        request.pause();
        staged.file().drainHandler(v -> request.resume());
      }
    });
    request.exceptionHandler(t -> refuse(new ImException(ErrorCode.BAD_REQUEST, "the upload was cut off")));
    request.endHandler(v -> {
      if (done) {
        return;
      }
      vertx.cancelTimer(timer);
      if (size == 0) {
        refuse(new ImException(ErrorCode.INVALID_FIELD, "the request body (the file) is empty"));
        return;
      }
      String hash = HexFormat.of().formatHex(sha.digest());
      staged.file().close()
          .compose(x -> Images.decoded(mime) ? media.images().probe(staged.path())
              : Future.succeededFuture(Images.Probe.NONE))
          .compose(probe -> store(new Media(newId(), uid, to, gid, hash, size, mime, name, probe.width(),
              probe.height(), probe.thumbnail() != null, System.currentTimeMillis()), probe))
          .onSuccess(m -> {
            done = true;
            ctx.response().setStatusCode(201).putHeader("content-type", "application/json")
                .end(MediaRoutes.describe(m).toBuffer());
          })
          .onFailure(this::refuse);
    });
    if (request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
      ctx.response().writeContinue();
    }
    request.resume();
  }

  /** Records the upload, then moves its file into the store (and its thumbnail beside it). */
  private Future<Media> store(Media m, Images.Probe probe) {
    return media.store().insert(m).compose(v -> media.blobs().keep(staged, m.sha256()))
        .compose(v -> probe.thumbnail() == null ? Future.succeededFuture()
            : media.blobs().put(m.sha256() + ".thumb", Buffer.buffer(probe.thumbnail())))
        .map(m);
  }

  private void checkRate() {
    if (done) {
      vertx.cancelTimer(timer);
      return;
    }
    long elapsed = System.currentTimeMillis() - started;
    if (elapsed > bodyTimeoutMs + size * 1000 / media.config().minBytesPerSecond()) {
      refuse(new ImException(ErrorCode.UPLOAD_TOO_SLOW, "the upload is slower than "
          + media.config().minBytesPerSecond() + " bytes per second"));
    }
  }

  /**
   * Ends the upload with {@code t}'s error: drops the staged file, answers (when nothing was answered yet) and, when
   * the body is not all in, closes the connection rather than store the rest.
   */
  private void refuse(Throwable t) {
    if (done) {
      return;
    }
    done = true;
    vertx.cancelTimer(timer);
    ImException e = ImException.of(t);
    if (!request.isEnded()) {
      // The rest of the body is not wanted: the connection closes once the answer is out. An oversized body is first
      // read and dropped for up to a second (a lingering close), so that a client still sending gets the answer
      // rather than a reset; a slow or cut-off one is closed at once.
      ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      boolean linger = e.code() == ErrorCode.REQUEST_TOO_LARGE;
      ctx.addEndHandler(ar -> {
        if (linger) {
          request.endHandler(v -> request.connection().close());
          vertx.setTimer(1_000, id -> request.connection().close());
        } else {
          request.connection().close();
        }
      });
      request.handler(chunk -> { });
      request.resume();
    }
    // The staged file is gone before the answer leaves: a client that saw the answer sees no trace of the upload.
    Future<Void> dropped = staged == null ? Future.succeededFuture() : media.blobs().discard(staged);
    dropped.onComplete(ar -> {
      if (e.code() == ErrorCode.INTERNAL) {
        ctx.fail(t);
      } else {
        HttpErrors.send(ctx, e.code(), e.getMessage(), e.details());
      }
    });
  }

  private ImException tooLarge() {
    return new ImException(ErrorCode.REQUEST_TOO_LARGE, "the file is larger than "
        + media.config().maxBytes() + " bytes");
  }

  private static long parseLength(String length) {
    try {
      return Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      throw new ImException(ErrorCode.BAD_REQUEST, "Content-Length is not a number");
    }
  }

  /** The type of the file: {@code Content-Type} without parameters, lower case; on the allow-list. */
  private String mime(String header) {
    String mime = header == null ? "" : header.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (mime.isEmpty()) {
      throw new ImException(ErrorCode.INVALID_FIELD, "header 'Content-Type' must name the file's type");
    }
    if (!mime.matches("[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}")
        || !media.config().allows(mime)) {
      throw new ImException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "files of type '" + mime + "' are not accepted",
          new JsonObject().put("types", new io.vertx.core.json.JsonArray(media.config().types())));
    }
    return mime;
  }

  /** The optional file name: 1 to 255 characters, no path separators or control characters. */
  private static String name(String name) {
    if (name == null) {
      return null;
    }
    if (name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '/'
        || c == '\\' || c == '"')) {
      throw new ImException(ErrorCode.INVALID_FIELD, "query parameter 'name' must be 1 to " + MAX_NAME
          + " characters without '/', '\\\\', '\"' or control characters");
    }
    return name.strip();
  }

  /** 128 random bits as 32 lower-case hex digits. */
  private static String newId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}

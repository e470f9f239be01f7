package dev.switchboard.api.media;

import dev.switchboard.api.http.Authn;
import dev.switchboard.api.store.MediaStore.Media;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Media over HTTP (docs/protocol.md, "Media"):
 * <ul>
 *   <li>{@code POST /api/v1/media?to=|group=[&name=]} (Bearer): an upload, streamed ({@link MediaUpload});</li>
 *   <li>{@code GET /api/v1/media/{id}} (Bearer) → {@code {id, type, size, name, w, h, thumbnail, sha256, to|group,
 *   owner, createdAt, url, thumbnailUrl?, expiresAt}}: signed URLs for whoever may read it now ({@code forbidden}
 *   otherwise, {@code not_found} for no such media);</li>
 *   <li>{@code DELETE /api/v1/media/{id}} (Bearer, the uploader) → 204;</li>
 *   <li>{@code GET}/{@code HEAD /media/{id}[/thumb]?exp=&sig=} (no token: the signature is the credential) → the bytes,
 *   with {@code Range} support for the file; {@code bad_signature} or {@code url_expired} (403) otherwise. The row is
 *   read again, so a deleted or purged file is gone at once even for a URL still valid.</li>
 * </ul>
 */
public final class MediaRoutes {
  private final Vertx vertx;
  private final MediaParts media;
  private final MediaAccess access;
  private final long bodyTimeoutMs;

  public MediaRoutes(Vertx vertx, MediaParts media, MediaAccess access, long bodyTimeoutMs) {
    this.vertx = vertx;
    this.media = media;
    this.access = access;
    this.bodyTimeoutMs = bodyTimeoutMs;
  }

  /**
   * The upload route: mount it before the body handler of {@code /api/*}, which would otherwise read the file into
   * memory. The request is paused until the upload reads it.
   */
  public void mountUpload(Router router, Authn authn) {
    router.post("/api/v1/media").handler(ctx -> {
      HttpServerRequest request = ctx.request();
      request.pause();
      // Refused before the upload took the request (authentication, rate limit): its body is not read, so the
      // connection cannot serve another request; close it once the answer is out.
      ctx.addEndHandler(ar -> {
        if (!request.isEnded() && ctx.get(MediaUpload.OWNED) == null) {
          request.connection().close();
        }
      });
      ctx.next();
    }).handler(authn::handle).handler(ctx -> MediaUpload.handle(vertx, media, access, bodyTimeoutMs, ctx));
  }

  /** The other routes. */
  public void mount(Router router, Authn authn) {
    router.get("/api/v1/media/:id").handler(authn::handle).handler(this::info);
    router.delete("/api/v1/media/:id").handler(authn::handle).handler(this::delete);
    router.get("/media/:id").handler(ctx -> download(ctx, MediaUrls.FILE));
    router.head("/media/:id").handler(ctx -> download(ctx, MediaUrls.FILE));
    router.get("/media/:id/thumb").handler(ctx -> download(ctx, MediaUrls.THUMB));
    router.head("/media/:id/thumb").handler(ctx -> download(ctx, MediaUrls.THUMB));
  }

  /** The JSON of an upload (without URLs). */
  static JsonObject describe(Media m) {
    JsonObject j = new JsonObject().put("id", m.id()).put("type", m.mime()).put("size", m.size())
        .put("name", m.name()).put("w", m.width()).put("h", m.height()).put("thumbnail", m.thumbnail())
        .put("sha256", m.sha256()).put("owner", m.owner()).put("createdAt", m.createdAt());
    return m.gid() != 0 ? j.put("group", m.gid()) : j.put("to", m.peer());
  }

  private static String id(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || !id.matches("[0-9a-f]{32}")) {
      throw new ImException(ErrorCode.INVALID_FIELD, "path parameter 'id' must be a media id (32 hex digits)");
    }
    return id;
  }

  private Future<Media> find(String id) {
    return media.store().find(id).compose(m -> m == null
        ? Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no media " + id)) : Future.succeededFuture(m));
  }

  private void info(RoutingContext ctx) {
    long uid = Authn.uid(ctx);
    find(id(ctx)).compose(m -> access.mayRead(uid, m).map(m)).onSuccess(m -> {
      long now = System.currentTimeMillis();
      JsonObject j = describe(m).put("url", media.urls().url(m.id(), MediaUrls.FILE, now))
          .put("expiresAt", media.urls().expiresAt(now));
      if (m.thumbnail()) {
        j.put("thumbnailUrl", media.urls().url(m.id(), MediaUrls.THUMB, now));
      }
      ctx.json(j);
    }).onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    long uid = Authn.uid(ctx);
    String id = id(ctx);
    find(id).compose(m -> m.owner() != uid
            ? Future.failedFuture(new ImException(ErrorCode.FORBIDDEN, "only the uploader may delete media " + id))
            : media.deletion().delete(id))
        .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  private void download(RoutingContext ctx, String variant) {
    String id = id(ctx);
    long now = System.currentTimeMillis();
    media.urls().check(id, variant, ctx.request().getParam("exp"), ctx.request().getParam("sig"), now);
    long expires = Long.parseLong(ctx.request().getParam("exp")) * 1000;
    find(id).compose(m -> {
      boolean thumb = MediaUrls.THUMB.equals(variant);
      if (thumb && !m.thumbnail()) {
        return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "media " + id + " has no thumbnail"));
      }
      HttpServerResponse resp = ctx.response();
      String type = thumb ? "image/jpeg" : m.mime();
      resp.putHeader(HttpHeaders.CONTENT_TYPE, type)
          .putHeader("Content-Disposition", disposition(type, thumb ? null : m.name()))
          .putHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=" + Math.max(0, (expires - now) / 1000))
          .putHeader(HttpHeaders.ETAG, "\"" + m.sha256() + (thumb ? "-t" : "") + "\"");
      String key = thumb ? m.sha256() + ".thumb" : m.sha256();
      if (thumb) {
        return ctx.request().method() == HttpMethod.HEAD ? resp.end() : media.blobs().send(resp, key, 0, Long.MAX_VALUE);
      }
      long[] range = range(ctx.request().getHeader("Range"), m.size());
      resp.putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
      if (range != null) {
        resp.setStatusCode(206).putHeader(HttpHeaders.CONTENT_RANGE, "bytes " + range[0] + "-" + range[1] + "/"
            + m.size());
      }
      long offset = range == null ? 0 : range[0];
      long length = range == null ? m.size() : range[1] - range[0] + 1;
      if (ctx.request().method() == HttpMethod.HEAD) {
        return resp.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length)).end();
      }
      return media.blobs().send(resp, key, offset, length);
    }).onFailure(t -> {
      if (!ctx.response().headWritten()) {
        ctx.response().headers().remove(HttpHeaders.CONTENT_TYPE).remove("Content-Disposition")
            .remove(HttpHeaders.CONTENT_RANGE).remove(HttpHeaders.CACHE_CONTROL).remove(HttpHeaders.ETAG);
        ctx.fail(t);
      } else {
        ctx.response().reset();
      }
    });
  }

  /**
   * One range of {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} as {@code [first, last]}; null for none (or a
   * form this server does not serve, such as several ranges: the whole file is sent, as RFC 9110 allows);
   * {@code range_not_satisfiable} for a range starting past the end.
   */
  static long[] range(String header, long size) {
    if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
      return null;
    }
    String spec = header.substring(6).strip();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String a = spec.substring(0, dash).strip();
      String b = spec.substring(dash + 1).strip();
      long first;
      long last;
      if (a.isEmpty()) {
        long n = Long.parseLong(b);
        if (n <= 0) {
          return null;
        }
        first = Math.max(0, size - n);
        last = size - 1;
      } else {
        first = Long.parseLong(a);
        if (first >= size) {
          throw new ImException(ErrorCode.RANGE_NOT_SATISFIABLE, "the file has " + size + " bytes",
              new JsonObject().put("size", size));
        }
        last = b.isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(b));
        if (last < first) {
          return null;
        }
      }
      return new long[] {first, last};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Inline for images, audio and video (shown by the page that asked); a download for anything else. */
  private static String disposition(String type, String name) {
    boolean inline = type.startsWith("image/") || type.startsWith("audio/") || type.startsWith("video/");
    String d = inline ? "inline" : "attachment";
    if (name == null) {
      return d;
    }
    String ascii = name.replaceAll("[^\\x20-\\x7e]", "_");
    return d + "; filename=\"" + ascii + "\"; filename*=UTF-8''"
        + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

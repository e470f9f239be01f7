package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.media.LocalBlobStore;
import dev.switchboard.api.media.MediaDeletion;
import dev.switchboard.api.media.MediaUrls;
import dev.switchboard.api.store.SqlMediaStore;
import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Media end to end on both backends, over real sockets: upload (streamed, hashed, deduplicated, image size and
 * thumbnail), signed download URLs (file, thumbnail, range, HEAD; tampered and expired signatures), the limits (size,
 * type), who may read (uploader, peer, current group members; not a stranger, not a removed member, nothing after a
 * purge), messages that reference media, deletion and retention of blobs, and a slow uploader that is cut off while
 * other users are served.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class MediaIT {
  record Reply(int status, MultiMap headers, Buffer body) {
    JsonObject json() {
      return body.length() == 0 ? null : body.toJsonObject();
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void uploadDownloadThumbnailDedupAndMessages(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject a = node.login(node.newUser(), "web");
      JsonObject b = node.login(node.newUser(), "web");
      long bob = b.getLong("uid");
      byte[] png = png(800, 600);
      Reply up = upload(node, a, "to=" + bob + "&name=" + "cat%20%C3%A9.png", "image/png", Buffer.buffer(png));
      assertEquals(201, up.status(), up.body().toString());
      JsonObject m = up.json();
      String id = m.getString("id");
      assertTrue(id.matches("[0-9a-f]{32}"), id);
      assertEquals("image/png", m.getString("type"));
      assertEquals(png.length, m.getLong("size"));
      assertEquals("cat é.png", m.getString("name"));
      assertEquals(800, m.getInteger("w"));
      assertEquals(600, m.getInteger("h"));
      assertTrue(m.getBoolean("thumbnail"));
      assertEquals(sha256(png), m.getString("sha256"));
      assertEquals(bob, m.getLong("to"));

      // The peer asks for it and downloads by the signed URL, with no token.
      JsonObject info = ok(node.api.call(HttpMethod.GET, "/api/v1/media/" + id, null, b.getString("token")));
      assertTrue(info.getLong("expiresAt") > System.currentTimeMillis());
      Reply file = get(node, info.getString("url"), Map.of());
      assertEquals(200, file.status());
      assertArrayEquals(png, file.body().getBytes());
      assertEquals("image/png", file.headers().get("Content-Type"));
      assertEquals("nosniff", file.headers().get("X-Content-Type-Options"));
      assertTrue(file.headers().get("Content-Disposition").startsWith("inline; filename=\"cat _.png\"; "
          + "filename*=UTF-8''cat%20%C3%A9.png"), file.headers().get("Content-Disposition"));
      assertTrue(file.headers().get("Cache-Control").startsWith("private, max-age="));
      Reply thumb = get(node, info.getString("thumbnailUrl"), Map.of());
      assertEquals(200, thumb.status());
      assertEquals("image/jpeg", thumb.headers().get("Content-Type"));
      BufferedImage t = ImageIO.read(new ByteArrayInputStream(thumb.body().getBytes()));
      assertEquals(320, t.getWidth());
      assertEquals(240, t.getHeight());
      Reply part = get(node, info.getString("url"), Map.of("Range", "bytes=10-19"));
      assertEquals(206, part.status());
      assertEquals("bytes 10-19/" + png.length, part.headers().get("Content-Range"));
      assertArrayEquals(java.util.Arrays.copyOfRange(png, 10, 20), part.body().getBytes());
      assertEquals(416, get(node, info.getString("url"), Map.of("Range", "bytes=" + png.length + "-")).status());
      Reply head = request(node, HttpMethod.HEAD, info.getString("url"), Map.of(), null);
      assertEquals(200, head.status());
      assertEquals(Integer.toString(png.length), head.headers().get("Content-Length"));

      // The same bytes again: a new upload, the same blob.
      Reply again = upload(node, a, "to=" + bob, "image/png", Buffer.buffer(png));
      assertEquals(201, again.status());
      String second = again.json().getString("id");
      assertNotEquals(id, second);
      assertEquals(sha256(png), again.json().getString("sha256"));
      assertEquals(List.of(sha256(png)), blobs(node, false), "one blob for both uploads");
      assertEquals(1, blobs(node, true).size(), "and one thumbnail");

      // Messages of a file type name their media; anything else is refused with the field named.
      ImClient alice = node.online("ws", a);
      JsonObject ack = await(alice.request(send("m1", bob, "image", new JsonObject().put("media", id)
          .put("caption", "a cat"))));
      assertEquals("msg.ack", ack.getString("op"), ack.encode());
      for (Object bad : List.of("just text", new JsonObject().put("media", 5), new JsonObject().put("url", "x"))) {
        JsonObject err = await(alice.request(send("bad" + bad.hashCode(), bob, "file", bad)));
        assertEquals("invalid_field", err.getString("code"), err.encode());
        assertTrue(err.getString("message").contains("body.media"), err.encode());
      }
      assertEquals("msg.ack", await(alice.request(send("m2", bob, "text", "no media needed"))).getString("op"));

      // Only the uploader deletes; a shared blob stays until its last upload goes.
      ApiClient.Result refused = await(node.api.call(HttpMethod.DELETE, "/api/v1/media/" + id, null,
          b.getString("token")));
      assertEquals(403, refused.status());
      assertEquals("forbidden", refused.body().getString("code"));
      assertEquals(204, await(node.api.call(HttpMethod.DELETE, "/api/v1/media/" + id, null, a.getString("token")))
          .status());
      assertEquals(404, get(node, info.getString("url"), Map.of()).status(), "a deleted file's URL is dead at once");
      assertEquals(1, blobs(node, false).size(), "the second upload keeps the blob");
      assertEquals(204, await(node.api.call(HttpMethod.DELETE, "/api/v1/media/" + second, null,
          a.getString("token"))).status());
      assertEquals(List.of(), blobs(node, false), "the last upload took the blob with it");
      assertEquals(List.of(), blobs(node, true), "and its thumbnail");
      assertEquals(404, await(node.api.call(HttpMethod.GET, "/api/v1/media/" + second, null, a.getString("token")))
          .status());
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void limitsTypesAndSignatures(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, new JsonObject().put("api", new JsonObject()
        .put("media", new JsonObject().put("maxBytes", 100_000).put("types", new JsonArray().add("image/*")
            .add("text/plain")))))) {
      JsonObject a = node.login(node.newUser(), "web");
      long self = a.getLong("uid");
      Buffer big = Buffer.buffer(new byte[150_000]);
      error(upload(node, a, "to=" + self, "text/plain", big), 413, "request_too_large");
      error(streamed(node, a, "to=" + self, "text/plain", big), 413, "request_too_large");
      error(expectContinue(node, a, "to=" + self, "text/plain", big), 413, "request_too_large");
      error(upload(node, a, "to=" + self, "application/x-msdownload", Buffer.buffer("MZ")), 415,
          "unsupported_media_type");
      error(upload(node, a, "to=" + self, null, Buffer.buffer("x")), 400, "invalid_field");
      error(upload(node, a, "", "text/plain", Buffer.buffer("x")), 400, "invalid_field");
      error(upload(node, a, "to=" + self + "&group=1", "text/plain", Buffer.buffer("x")), 400, "invalid_field");
      error(upload(node, a, "to=987654321", "text/plain", Buffer.buffer("x")), 404, "not_found");
      error(upload(node, a, "to=" + self + "&name=..%2Fetc", "text/plain", Buffer.buffer("x")), 400,
          "invalid_field");
      error(upload(node, null, "to=" + self, "text/plain", Buffer.buffer("x")), 401, "auth_failed");
      assertEquals(List.of(), blobs(node, false), "nothing refused was kept");
      assertEquals(List.of(), tmpFiles(node), "and no staged file is left");
      Reply allowed = expectContinue(node, a, "to=" + self, "text/plain", Buffer.buffer("after 100-continue"));
      assertEquals(201, allowed.status(), allowed.body().toString());
      assertEquals(18, allowed.json().getLong("size"));

      // Not an image although it says so: stored, without size or thumbnail.
      Reply fake = upload(node, a, "to=" + self, "image/png", Buffer.buffer("not a png"));
      assertEquals(201, fake.status());
      assertEquals(0, fake.json().getInteger("w"));
      assertFalse(fake.json().getBoolean("thumbnail"));

      Reply text = upload(node, a, "to=" + self, "text/plain; charset=utf-8", Buffer.buffer("hello"));
      assertEquals(201, text.status(), text.body().toString());
      String id = text.json().getString("id");
      JsonObject info = ok(node.api.call(HttpMethod.GET, "/api/v1/media/" + id, null, a.getString("token")));
      assertNull(info.getString("thumbnailUrl"));
      Reply file = get(node, info.getString("url"), Map.of());
      assertEquals("hello", file.body().toString());
      assertEquals("attachment", file.headers().get("Content-Disposition"), "text is downloaded, not shown");
      String url = info.getString("url");
      String sig = url.substring(url.indexOf("&sig=") + 5);
      String tampered = url.replace("&sig=" + sig, "&sig=" + (sig.charAt(0) == 'A' ? 'B' : 'A') + sig.substring(1));
      error(get(node, tampered, Map.of()), 403, "bad_signature");
      error(get(node, url.replaceAll("exp=\\d+", "exp=9999999999"), Map.of()), 403, "bad_signature");
      error(get(node, "/media/" + id, Map.of()), 403, "bad_signature");
      error(get(node, url.replace("/media/" + id, "/media/" + id + "/thumb"), Map.of()), 403, "bad_signature");
      String secret = node.config.getJsonObject("auth").getString("secret");
      String expired = new MediaUrls(secret, 1).url(id, MediaUrls.FILE, System.currentTimeMillis() - 60_000);
      error(get(node, expired, Map.of()), 403, "url_expired");
      String otherKey = new MediaUrls(secret + "x", 300).url(id, MediaUrls.FILE, System.currentTimeMillis());
      error(get(node, otherKey, Map.of()), 403, "bad_signature");
      error(get(node, "/media/not-an-id?exp=1&sig=x", Map.of()), 400, "invalid_field");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void onlyThoseWhoCanReadTheConversationGetTheMedia(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject a = node.login(node.newUser(), "web");
      JsonObject b = node.login(node.newUser(), "web");
      JsonObject c = node.login(node.newUser(), "web");
      long alice = a.getLong("uid");
      long bob = b.getLong("uid");
      String direct = upload(node, a, "to=" + bob, "text/plain", Buffer.buffer("for bob")).json().getString("id");
      assertEquals(200, info(node, a, direct).status(), "the uploader");
      assertEquals(200, info(node, b, direct).status(), "the peer");
      error(info(node, c, direct), 403, "forbidden");
      error(info(node, c, "0123456789abcdef0123456789abcdef"), 404, "not_found");

      // A block: the blocked user cannot upload for the one who blocked them.
      assertEquals(204, await(node.api.call(HttpMethod.PUT, "/api/v1/blocks/" + alice, null, c.getString("token")))
          .status());
      error(upload(node, a, "to=" + c.getLong("uid"), "text/plain", Buffer.buffer("x")), 403, "blocked");

      // Groups: members read; a stranger cannot upload or read; a removed member loses access at once.
      long gid = await(node.api.call(HttpMethod.POST, "/api/v1/groups", new JsonObject().put("name", "g")
          .put("members", new JsonArray().add(bob)), a.getString("token"))).body().getLong("gid");
      Reply up = upload(node, a, "group=" + gid, "image/png", Buffer.buffer(png(64, 32)));
      assertEquals(201, up.status());
      assertEquals(gid, up.json().getLong("group"));
      String inGroup = up.json().getString("id");
      error(upload(node, c, "group=" + gid, "text/plain", Buffer.buffer("x")), 403, "not_member");
      JsonObject bobsView = ok(node.api.call(HttpMethod.GET, "/api/v1/media/" + inGroup, null, b.getString("token")));
      assertEquals(200, get(node, bobsView.getString("thumbnailUrl"), Map.of()).status());
      error(info(node, c, inGroup), 403, "forbidden");
      ok(node.api.call(HttpMethod.DELETE, "/api/v1/groups/" + gid + "/members/" + bob, null, a.getString("token")));
      error(info(node, b, inGroup), 403, "forbidden");
      assertEquals(200, info(node, a, inGroup).status());

      // A purge (server API) takes the user's uploads and their blobs.
      JsonObject purged = node.service(HttpMethod.POST, "/api/v1/admin/users/" + alice + "/purge", null).body();
      assertEquals(2, purged.getInteger("media"), purged.encode());
      error(info(node, b, direct), 404, "not_found");
      assertEquals(List.of(), blobs(node, false));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void retentionDeletesOldMediaAndTheirBlobs(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject a = node.login(node.newUser(), "web");
      long self = a.getLong("uid");
      String old = upload(node, a, "to=" + self, "text/plain", Buffer.buffer("old")).json().getString("id");
      String shared = upload(node, a, "to=" + self, "text/plain", Buffer.buffer("shared")).json().getString("id");
      String sharedToo = upload(node, a, "to=" + self, "text/plain", Buffer.buffer("shared")).json().getString("id");
      String fresh = upload(node, a, "to=" + self, "text/plain", Buffer.buffer("fresh")).json().getString("id");
      Pool pool = Database.pool(vertx, DbConfig.from(node.config.getJsonObject("storage").getJsonObject("db")));
      try {
        long longAgo = System.currentTimeMillis() - 40 * 86_400_000L;
        for (String id : List.of(old, shared)) {
          await(pool.preparedQuery("UPDATE media SET created_at = ? WHERE id = ?").execute(Tuple.of(longAgo, id)));
        }
        // One step of the retention job (what it runs every interval), on the node's table and store.
        MediaDeletion deletion = new MediaDeletion(new SqlMediaStore(pool), new LocalBlobStore(vertx,
            node.mediaDir()));
        assertEquals(2, await(deletion.deleteOlderThan(System.currentTimeMillis() - 30 * 86_400_000L, 10)));
        assertEquals(0, await(deletion.deleteOlderThan(System.currentTimeMillis() - 30 * 86_400_000L, 10)));
      } finally {
        pool.close().await(10, TimeUnit.SECONDS);
      }
      error(info(node, a, old), 404, "not_found");
      error(info(node, a, shared), 404, "not_found");
      assertEquals(200, info(node, a, sharedToo).status());
      assertEquals(200, info(node, a, fresh).status());
      assertEquals(Stream.of("shared", "fresh").map(s -> sha256(s.getBytes(StandardCharsets.UTF_8))).sorted()
          .toList(), blobs(node, false), "the old blob went; the one a newer upload shares stayed");
    }
  }

  /**
   * A client that sends its body a byte now and then is answered {@code 408 upload_too_slow} and cut off once it
   * falls behind the minimum rate, and holds no thread meanwhile: with one image worker and one API instance, other
   * users' requests and uploads (an image among them) are served while four slow uploads are open.
   */
  @ParameterizedTest
  @EnumSource(Backend.class)
  void aSlowUploaderIsCutOffAndHoldsNoWorker(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, new JsonObject().put("api", new JsonObject()
        .put("connectionLimits", new JsonObject().put("bodyTimeoutMs", 6_000))
        .put("media", new JsonObject().put("minBytesPerSecond", 50_000).put("imageThreads", 1))))) {
      JsonObject slow = node.login(node.newUser(), "web");
      JsonObject other = node.login(node.newUser(), "web");
      List<SlowUpload> slows = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        slows.add(SlowUpload.start(vertx, node.apiPort(), slow.getString("token"), slow.getLong("uid")));
      }
      for (SlowUpload s : slows) {
        await(s.firstBytes.future());
      }
      for (int i = 0; i < 10; i++) {
        assertEquals(200, await(node.api.call(HttpMethod.GET, "/api/v1/users/me", null, other.getString("token")))
            .status());
      }
      Reply image = upload(node, other, "to=" + other.getLong("uid"), "image/png", Buffer.buffer(png(100, 100)));
      assertEquals(201, image.status());
      assertTrue(image.json().getBoolean("thumbnail"));
      for (SlowUpload s : slows) {
        assertFalse(s.closed.future().isComplete(), "the slow uploads were still open while the others were served");
      }
      for (SlowUpload s : slows) {
        String answer = await(s.closed.future());
        assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        assertTrue(answer.contains("\"code\":\"upload_too_slow\""), answer);
        assertTrue(answer.contains("\"requestId\":"), answer);
      }
      assertEquals(List.of(), tmpFiles(node), "the slow uploads' staged files were dropped");
    }
  }

  /** A raw socket that sends an upload's headers, then one byte every 100 ms; {@code closed} has what it read. */
  static final class SlowUpload {
    final Promise<Void> firstBytes = Promise.promise();
    final Promise<String> closed = Promise.promise();

    static SlowUpload start(Vertx vertx, int port, String token, long to) throws Exception {
      SlowUpload s = new SlowUpload();
      NetSocket socket = await(vertx.createNetClient().connect(port, "127.0.0.1"));
      Buffer read = Buffer.buffer();
      socket.handler(read::appendBuffer);
      long timer = vertx.setPeriodic(100, t -> socket.write("x").onSuccess(v -> s.firstBytes.tryComplete()));
      socket.closeHandler(v -> {
        vertx.cancelTimer(timer);
        s.closed.tryComplete(read.toString());
      });
      socket.write("POST /api/v1/media?to=" + to + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
          + "\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n");
      return s;
    }
  }

  static JsonObject send(String cid, long to, String type, Object body) {
    return new JsonObject().put("op", "msg.send").put("cid", cid).put("to", to).put("type", type).put("body", body);
  }

  static JsonObject ok(Future<ApiClient.Result> call) throws Exception {
    ApiClient.Result r = await(call);
    assertEquals(200, r.status(), String.valueOf(r.body()));
    return r.body();
  }

  static void error(Reply r, int status, String code) {
    assertEquals(status, r.status(), r.body().toString());
    assertEquals(code, r.json().getString("code"), r.body().toString());
    assertNotNull(r.json().getString("requestId"));
  }

  static void error(ApiClient.Result r, int status, String code) {
    assertEquals(status, r.status(), String.valueOf(r.body()));
    assertEquals(code, r.body().getString("code"));
  }

  static ApiClient.Result info(TestNode node, JsonObject user, String id) throws Exception {
    return await(node.api.call(HttpMethod.GET, "/api/v1/media/" + id, null, user.getString("token")));
  }

  /** {@code POST /api/v1/media?query} with {@code bytes} as the body (with its Content-Length). */
  static Reply upload(TestNode node, JsonObject user, String query, String mime, Buffer bytes) throws Exception {
    Map<String, String> headers = new java.util.HashMap<>();
    if (user != null) {
      headers.put("Authorization", "Bearer " + user.getString("token"));
    }
    if (mime != null) {
      headers.put("Content-Type", mime);
    }
    return request(node, HttpMethod.POST, "/api/v1/media?" + query, headers, bytes);
  }

  /** Like {@link #upload} with the body sent chunked (no Content-Length), 16 KiB a write. */
  static Reply streamed(TestNode node, JsonObject user, String query, String mime, Buffer bytes) throws Exception {
    HttpClient http = node.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    try {
      return await(http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
              .setPort(node.apiPort()).setURI("/api/v1/media?" + query)
              .putHeader("Authorization", "Bearer " + user.getString("token")).putHeader("Content-Type", mime))
          .compose(req -> {
            req.setChunked(true);
            Future<Reply> reply = req.response().compose(resp -> resp.body()
                .map(b -> new Reply(resp.statusCode(), resp.headers(), b)));
            for (int i = 0; i < bytes.length(); i += 16_384) {
              req.write(bytes.slice(i, Math.min(bytes.length(), i + 16_384)));
            }
            req.end();
            return reply;
          }));
    } finally {
      http.close();
    }
  }

  /**
   * An upload with {@code Expect: 100-continue}: the body is sent only when the server answers {@code 100 Continue};
   * a refusal arrives instead, and then no byte of the body was sent.
   */
  static Reply expectContinue(TestNode node, JsonObject user, String query, String mime, Buffer bytes)
      throws Exception {
    HttpClient http = node.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    try {
      return await(http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
              .setPort(node.apiPort()).setURI("/api/v1/media?" + query)
              .putHeader("Authorization", "Bearer " + user.getString("token")).putHeader("Content-Type", mime)
              .putHeader("Content-Length", Integer.toString(bytes.length())).putHeader("Expect", "100-continue"))
          .compose(req -> {
            boolean[] continued = {false};
            req.continueHandler(v -> {
              continued[0] = true;
              req.end(bytes);
            });
            Future<Reply> reply = req.response().compose(resp -> resp.body().map(b -> {
              assertEquals(resp.statusCode() < 300, continued[0], "the body was sent only when allowed");
              return new Reply(resp.statusCode(), resp.headers(), b);
            }));
            req.sendHead();
            return reply;
          }));
    } finally {
      http.close();
    }
  }

  static Reply get(TestNode node, String path, Map<String, String> headers) throws Exception {
    return request(node, HttpMethod.GET, path, headers, null);
  }

  static Reply request(TestNode node, HttpMethod method, String path, Map<String, String> headers, Buffer body)
      throws Exception {
    HttpClient http = node.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    try {
      RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(node.apiPort())
          .setURI(path);
      headers.forEach(options::putHeader);
      return await(http.request(options).compose(req -> body == null ? req.send() : req.send(body))
          .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b))));
    } finally {
      http.close();
    }
  }

  /** The blob files of the node's media store (content hashes), or its thumbnails, sorted. */
  static List<String> blobs(TestNode node, boolean thumbnails) throws Exception {
    Path dir = Path.of(node.mediaDir(), "blobs");
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".thumb") == thumbnails).map(n -> n.replace(".thumb", "")).sorted().toList();
    }
  }

  static List<Path> tmpFiles(TestNode node) throws Exception {
    try (Stream<Path> files = Files.list(Path.of(node.mediaDir(), "tmp"))) {
      return files.toList();
    }
  }

  static byte[] png(int w, int h) throws Exception {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.BLUE);
    g.fillOval(w / 4, h / 4, w / 2, h / 2);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

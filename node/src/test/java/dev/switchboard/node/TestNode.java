package dev.switchboard.node;

import dev.switchboard.launch.Node;
import dev.switchboard.launch.NodeConfig;
import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.config.AuthConfig;
import dev.switchboard.shared.testing.Backend;
import dev.switchboard.shared.testing.Ports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A whole node (every verticle) on free loopback ports over an isolated backend, with clients for tests. Close it to
 * close every client, stop the node and drop the backend's data.
 */
final class TestNode implements AutoCloseable {
  static final long WAIT_S = 20;
  static final String PASSWORD = "password-123";
  /** Argon2id cost of the test nodes: far below the default (19 MiB, 2 passes) so that logins take well under 1 ms. */
  static final AuthConfig.Argon2 ARGON2 = new AuthConfig.Argon2(256, 1, 1);

  /** {@link #ARGON2} as the {@code auth.argon2} config section (a new object each time: JsonObjects are mutable). */
  static JsonObject fastArgon2() {
    return new JsonObject().put("memoryKiB", ARGON2.memoryKiB()).put("iterations", ARGON2.iterations())
        .put("parallelism", ARGON2.parallelism());
  }
  /** The push API key every test node accepts. */
  static final String API_KEY = "test-api-key-0123456789";

  final Vertx vertx;
  final JsonObject config;
  final ApiClient api;
  private final Backend.Storage storage;
  private final Node node;
  private final List<ImClient> clients = new ArrayList<>();
  /** uid → username of the users {@link #newUser} made and {@link #login} saw. */
  final java.util.Map<Long, String> usernames = new java.util.concurrent.ConcurrentHashMap<>();

  private TestNode(Vertx vertx, Backend.Storage storage, JsonObject config, Node node) {
    this.vertx = vertx;
    this.storage = storage;
    this.config = config;
    this.node = node;
    this.api = new ApiClient(vertx, "127.0.0.1", apiPort());
  }

  /** Starts a node; {@code gateway} settings override the gateway defaults (e.g. short timers). */
  static TestNode start(Vertx vertx, Backend backend, JsonObject gateway) throws Exception {
    return startWith(vertx, backend, new JsonObject().put("gateway", gateway));
  }

  /**
   * Starts a node; {@code overrides} maps verticle names to settings merged over the test defaults (e.g.
   * {@code {"router": {"sendRate": 1000}}}); a {@code hooks} entry becomes the node's {@code hooks} section.
   */
  static TestNode startWith(Vertx vertx, Backend backend, JsonObject overrides) throws Exception {
    // A port found free can be taken by someone else before the node binds it: then start again on other ports.
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(vertx, backend, overrides);
      } catch (Exception e) {
        if (attempt == 3 || !bindFailure(e)) {
          throw e;
        }
      }
    }
  }

  private static boolean bindFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.net.BindException) {
        return true;
      }
    }
    return false;
  }

  private static TestNode startOnce(Vertx vertx, Backend backend, JsonObject overrides) throws Exception {
    Backend.Storage storage = backend.open(vertx);
    java.nio.file.Path media = java.nio.file.Files.createTempDirectory("switchboard-media-");
    // A media store of its own in a fresh directory; the test's own media settings go over it.
    JsonObject apiOverrides = overrides.getJsonObject("api", new JsonObject()).copy();
    apiOverrides.put("media", new JsonObject().put("dir", media.toString())
        .mergeIn(apiOverrides.getJsonObject("media", new JsonObject())));
    int wsPort = freePort();
    int tcpPort = freePort();
    JsonObject config = new JsonObject()
        .put("storage", storage.config())
        .put("auth", new JsonObject().put("secret", "test-secret-" + UUID.randomUUID() + UUID.randomUUID())
            .put("argon2", fastArgon2()).mergeIn(overrides.getJsonObject("auth", new JsonObject())))
        .put("verticles", new JsonObject()
            .put("router", new JsonObject().put("instances", 2)
                .mergeIn(overrides.getJsonObject("router", new JsonObject())))
            .put("group", new JsonObject().put("instances", 2)
                .mergeIn(overrides.getJsonObject("group", new JsonObject())))
            .put("api", new JsonObject().put("port", freePort()).put("maxBodyBytes", 4096)
                .put("apiKeys", new JsonArray().add(API_KEY))
                .put("publicWs", "ws://127.0.0.1:" + wsPort + "/ws").put("publicTcp", "tcp://127.0.0.1:" + tcpPort)
                .put("rateLimit", new JsonObject().put("perSecond", 100_000).put("burst", 100_000))
                .put("addressRateLimit", new JsonObject().put("perSecond", 100_000).put("burst", 100_000))
                .mergeIn(apiOverrides))
            .put("gateway", new JsonObject().put("instances", 2).put("host", "127.0.0.1").put("wsPort", wsPort)
                .put("tcpPort", tcpPort).put("statsIntervalMs", 100)
                .mergeIn(overrides.getJsonObject("gateway", new JsonObject()))));
    if (overrides.containsKey("hooks")) {
      config.put("hooks", overrides.getJsonObject("hooks"));
    }
    if (overrides.containsKey("bridge")) {
      config.getJsonObject("verticles").put("bridge", new JsonObject().put("port", freePort())
          .mergeIn(overrides.getJsonObject("bridge")));
    }
    try {
      Node node = Node.start(vertx, new NodeConfig(config), Main.VERTICLES).await(60, TimeUnit.SECONDS);
      return new TestNode(vertx, storage, config, node);
    } catch (Exception e) {
      storage.close();
      throw e;
    }
  }

  static TestNode start(Vertx vertx, Backend backend) throws Exception {
    return start(vertx, backend, new JsonObject());
  }

  /** A push-API call with the test API key; asserts nothing about the status. */
  ApiClient.Result service(io.vertx.core.http.HttpMethod method, String path, Object body) throws Exception {
    return await(api.call(method, path, body, null, java.util.Map.of("X-Api-Key", API_KEY)));
  }

  static int freePort() {
    return Ports.free();
  }

  int apiPort() {
    return config.getJsonObject("verticles").getJsonObject("api").getInteger("port");
  }

  JsonObject gateway() {
    return config.getJsonObject("verticles").getJsonObject("gateway");
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.await(WAIT_S, TimeUnit.SECONDS);
  }

  /** Registers a fresh user; returns the username (its uid comes with {@link #login}). */
  String newUser() throws Exception {
    String name = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    await(api.register(name, PASSWORD));
    return name;
  }

  /** Logs in; the session body ({@code token, uid, ...}). */
  JsonObject login(String username, String device) throws Exception {
    JsonObject session = await(api.login(username, PASSWORD, device));
    usernames.put(session.getLong("uid"), username);
    return session;
  }

  ImClient ws(String uri) throws Exception {
    return track(await(ImClient.webSocket(vertx, "127.0.0.1", gateway().getInteger("wsPort"), uri)));
  }

  ImClient tcp() throws Exception {
    return track(await(ImClient.tcp(vertx, "127.0.0.1", gateway().getInteger("tcpPort"))));
  }

  /** A client over {@code transport} ("ws" or "tcp") that sent {@code auth} and got {@code auth.ok}. */
  ImClient online(String transport, JsonObject session) throws Exception {
    return authenticated(transport.equals("ws") ? ws("/ws") : tcp(), session);
  }

  /** Like {@link #online(String, JsonObject)} with the protobuf codec. */
  ImClient onlineProto(String transport, JsonObject session) throws Exception {
    int port = transport.equals("ws") ? gateway().getInteger("wsPort") : gateway().getInteger("tcpPort");
    return authenticated(track(await(transport.equals("ws")
        ? ImClient.webSocketProto(vertx, "127.0.0.1", port, "/ws") : ImClient.tcpProto(vertx, "127.0.0.1", port))),
        session);
  }

  /** Sends {@code auth} with the session's token and device; fails unless {@code auth.ok} comes back. */
  private static ImClient authenticated(ImClient c, JsonObject session) throws Exception {
    JsonObject ok = await(c.request(new JsonObject().put("op", "auth").put("token", session.getString("token"))
        .put("device", session.getString("device"))));
    if (!"auth.ok".equals(ok.getString("op"))) {
      throw new IllegalStateException("auth failed: " + ok);
    }
    return c;
  }

  /** The directory of the node's media store ({@code verticles.api.media.dir}: a fresh one per node by default). */
  String mediaDir() {
    return config.getJsonObject("verticles").getJsonObject("api").getJsonObject("media").getString("dir");
  }

  private static void deleteTree(java.nio.file.Path dir) throws java.io.IOException {
    if (!java.nio.file.Files.exists(dir)) {
      return;
    }
    try (var paths = java.nio.file.Files.walk(dir)) {
      for (java.nio.file.Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.deleteIfExists(p);
      }
    }
  }

  /** The bridge's port (when started with a {@code bridge} override). */
  int bridgePort() {
    return config.getJsonObject("verticles").getJsonObject("bridge").getInteger("port");
  }

  private ImClient track(ImClient c) {
    clients.add(c);
    return c;
  }

  @Override
  public void close() throws Exception {
    for (ImClient c : clients) {
      c.close().otherwiseEmpty().await(WAIT_S, TimeUnit.SECONDS);
    }
    api.close();
    try {
      await(node.stop());
    } finally {
      storage.close();
      deleteTree(java.nio.file.Path.of(mediaDir()));
    }
  }
}

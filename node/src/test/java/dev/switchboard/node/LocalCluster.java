package dev.switchboard.node;

import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of separate JVMs on loopback, each started from its role's runnable jar (verticles/ROLE/target/
 * switchboard-ROLE.jar) with its own config, over an isolated MariaDB database and Redis prefix. Processes can be
 * killed with SIGKILL, stopped with SIGTERM and started again. Logs go to target/local-cluster/NAME.log.
 */
final class LocalCluster implements AutoCloseable {
  static final String API_KEY = "cluster-it-api-key-0123456789";

  private final Backend.Storage storage;
  private final String secret = "cluster-it-" + UUID.randomUUID();
  private final String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
  private final JsonObject auth = new JsonObject().put("secret", "cluster-it-" + UUID.randomUUID() + UUID.randomUUID())
      .put("argon2", TestNode.fastArgon2());
  private final Map<String, JsonObject> configs = new LinkedHashMap<>();
  private final Map<String, Netns.Side> sides = new LinkedHashMap<>();
  /** What the launcher logs once every verticle of the node is deployed. */
  private static final String STARTED = "switchboard node started";

  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final Map<String, CompletableFuture<Void>> started = new LinkedHashMap<>();
  private final JsonArray members = new JsonArray();
  private final Path logs = Path.of("target", "local-cluster").toAbsolutePath();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** {@code cluster.tls} of every process (null: a plain event bus). */
  private final JsonObject busTls;

  LocalCluster(Vertx vertx) throws IOException {
    this(vertx, null);
  }

  /** A cluster whose event bus runs mutual TLS with {@code busTls} ({@code {cert, key, ca}}) in every process. */
  LocalCluster(Vertx vertx, JsonObject busTls) throws IOException {
    this.storage = Backend.MARIADB.open(vertx);
    this.busTls = busTls;
    Files.createDirectories(logs);
  }

  /** Declares a process running {@code verticles} (its role is the first one's name). */
  LocalCluster with(String process, JsonObject verticles) {
    return with(process, verticles, null);
  }

  /**
   * Declares a process running {@code verticles} in network namespace {@code side} (null: the test's own, on
   * loopback): Hazelcast and the event bus on the side's cluster-link address, its servers on every address of the
   * namespace (the test reaches them at {@link #host}), storage through the side's forwarders.
   */
  LocalCluster with(String process, JsonObject verticles, Netns.Side side) {
    int hz = TestNode.freePort();
    String clusterHost = side == null ? "127.0.0.1" : side.clusterIp();
    members.add(clusterHost + ":" + hz);
    JsonObject cluster = new JsonObject().put("enabled", true).put("name", name).put("secret", secret)
        .put("host", clusterHost).put("port", hz).put("portAutoIncrement", false).put("members", members)
        .put("failureSeconds", 4).put("mergeSeconds", 5);
    if (busTls != null) {
      cluster.put("tls", busTls);
    }
    JsonObject monitor = new JsonObject().put("port", TestNode.freePort()).put("eventBusMeters", true);
    if (side != null) {
      sides.put(process, side);
      monitor.put("host", "0.0.0.0");
      verticles = verticles.copy();
      for (String role : verticles.fieldNames()) {
        JsonObject v = verticles.getJsonObject(role);
        if (v.containsKey("host")) {
          v.put("host", "0.0.0.0");
        }
        if (v.containsKey("wsPort")) {
          v.put("publicWs", "ws://" + side.reachIp() + ":" + v.getInteger("wsPort") + "/ws")
              .put("publicTcp", "tcp://" + side.reachIp() + ":" + v.getInteger("tcpPort"));
        }
      }
    }
    configs.put(process, new JsonObject()
        .put("cluster", cluster)
        .put("storage", side == null ? storage.config() : side.storage()).put("auth", auth)
        // Vert.x's event-bus meters on (off by default): ClusterFailoverIT reads them from /metrics.
        .put("monitor", monitor)
        .put("verticles", verticles));
    return this;
  }

  /** The storage config of a process on loopback (what {@link Netns} forwards to). */
  JsonObject storageConfig() {
    return storage.config();
  }

  /** The address the test reaches the process's servers at. */
  String host(String process) {
    Netns.Side side = sides.get(process);
    return side == null ? "127.0.0.1" : side.reachIp();
  }

  static JsonObject gateway() {
    return new JsonObject().put("gateway", new JsonObject().put("instances", 1).put("host", "127.0.0.1")
        .put("wsPort", TestNode.freePort()).put("tcpPort", TestNode.freePort()).put("requestTimeoutMs", 3000)
        .put("statsIntervalMs", 200).put("sendRate", 100_000).put("sendBurst", 100_000));
  }

  static JsonObject router() {
    return new JsonObject().put("router", new JsonObject().put("instances", 1).put("sendRate", 100_000)
        .put("sendBurst", 100_000));
  }

  static JsonObject group() {
    return new JsonObject().put("group", new JsonObject().put("instances", 1).put("sendRate", 100_000)
        .put("sendBurst", 100_000));
  }

  static JsonObject api() {
    return new JsonObject().put("api", new JsonObject().put("host", "127.0.0.1").put("port", TestNode.freePort())
        .put("apiKeys", new JsonArray().add(API_KEY)).put("requestTimeoutMs", 3000)
        .put("rateLimit", new JsonObject().put("perSecond", 100_000).put("burst", 100_000))
        .put("addressRateLimit", new JsonObject().put("perSecond", 100_000).put("burst", 100_000)));
  }

  JsonObject config(String process) {
    return configs.get(process);
  }

  /** The section of the process's only verticle. */
  JsonObject section(String process) {
    JsonObject v = configs.get(process).getJsonObject("verticles");
    return v.getJsonObject(v.fieldNames().iterator().next());
  }

  /** Starts every declared process, then waits until each is ready. */
  void startAll() throws Exception {
    for (String p : configs.keySet()) {
      launch(p);
    }
    for (String p : configs.keySet()) {
      awaitReady(p);
    }
  }

  void start(String process) throws Exception {
    launch(process);
    awaitReady(process);
  }

  private void launch(String process) throws IOException {
    JsonObject config = configs.get(process);
    JsonObject verticles = config.getJsonObject("verticles");
    String role = verticles.fieldNames().iterator().next();
    Path file = logs.resolve(process + ".json");
    Files.writeString(file, config.encodePrettily());
    // One verticle: its role's jar; several (a core process): the node jar, which holds them all.
    Path jar = (verticles.size() == 1 ? Path.of("..", "verticles", role, "target", "switchboard-" + role + ".jar")
        : Path.of("target", "switchboard-node.jar")).toAbsolutePath().normalize();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    Netns.Side side = sides.get(process);
    if (side != null) {
      command.addAll(List.of("ip", "netns", "exec", side.namespace()));
    }
    command.addAll(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Djava.util.logging.config.file=" + Path.of("..", "conf", "logging.properties").toAbsolutePath(),
        "-jar", jar.toString(), file.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    processes.put(process, p);
    started.put(process, copyOutput(p, logs.resolve(process + ".log")));
  }

  /**
   * Copies the process's output to {@code log} on a thread of its own; the future completes when the launcher logs
   * that the node started, and fails when the output ends first (the process died).
   */
  private static CompletableFuture<Void> copyOutput(Process p, Path log) {
    CompletableFuture<Void> started = new CompletableFuture<>();
    Thread copier = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
           Writer out = Files.newBufferedWriter(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        for (String line; (line = in.readLine()) != null; ) {
          out.write(line);
          out.write('\n');
          out.flush();
          if (line.contains(STARTED)) {
            started.complete(null);
          }
        }
      } catch (IOException e) {
        started.completeExceptionally(e);
      }
      started.completeExceptionally(new IllegalStateException("the process ended before it started; see " + log));
    }, "output-" + log.getFileName());
    copier.setDaemon(true);
    copier.start();
    return started;
  }

  /** Waits for the process to log that its node started, then requires {@code /ready} to answer 200. */
  private void awaitReady(String process) throws Exception {
    started.get(process).get(90, TimeUnit.SECONDS);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(monitorUri(process, "/ready")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(process + " started but is not ready: " + r.body());
    }
  }

  private URI monitorUri(String process, String path) {
    return URI.create("http://" + host(process) + ":" + configs.get(process).getJsonObject("monitor").getInteger("port")
        + path);
  }

  /** The body of {@code GET path} on the process's monitor port. */
  String monitor(String process, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(monitorUri(process, path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** SIGKILL: the process gets no chance to clean up. */
  void kill(String process) throws InterruptedException {
    Process p = processes.get(process);
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM and wait: the process stops cleanly. */
  void stop(String process) throws InterruptedException {
    Process p = processes.get(process);
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  Iterable<String> names() {
    return configs.keySet();
  }

  @Override
  public void close() throws Exception {
    for (Process p : processes.values()) {
      p.destroyForcibly();
    }
    for (Process p : processes.values()) {
      p.waitFor(30, TimeUnit.SECONDS);
    }
    storage.close();
  }
}

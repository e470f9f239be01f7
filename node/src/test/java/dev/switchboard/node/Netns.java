package dev.switchboard.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces made by a test (needs root and iproute2), joined by veth links that only the test's own
 * namespaces use:
 * <pre>
 *   namespace A  10.X.0.1 ==== cluster link ==== 10.X.0.2  namespace B
 *   10.X.1.2                                              10.X.2.2
 *      ||  access link A                      access link B  ||
 *   10.X.1.1            the test's namespace              10.X.2.1
 * </pre>
 * Cluster members bind Hazelcast and the event bus to their namespace's cluster-link address, so {@link #cut()} (the
 * cluster link down) splits the cluster while each side keeps its access link: the test's clients reach every
 * gateway, and every process reaches MariaDB and Redis through forwarders the test runs on the access-link addresses
 * (the services listen on the test namespace's loopback, which a namespace cannot see).
 */
final class Netns implements AutoCloseable {
  /** Where a process runs: its namespace, its cluster-link address, the address the test reaches it at. */
  record Side(String namespace, String clusterIp, String reachIp, JsonObject storage) {
  }

  private final String tag;
  private final String subnet;
  private final List<AutoCloseable> forwarders = new ArrayList<>();
  private Side a;
  private Side b;

  private Netns(String tag, String subnet) {
    this.tag = tag;
    this.subnet = subnet;
  }

  /** Why namespaces cannot be made here, or null when they can (made and removed once to find out). */
  static String unavailable() {
    String probe = "sbprobe" + ThreadLocalRandom.current().nextInt(100_000);
    try {
      Run r = run("ip", "netns", "add", probe);
      if (r.code != 0) {
        return "'ip netns add' failed: " + r.output.strip();
      }
      run("ip", "netns", "del", probe);
      return null;
    } catch (IOException e) {
      return "iproute2's 'ip' cannot be run: " + e.getMessage();
    }
  }

  /** Makes both namespaces and their links; {@code storage} is the config every process would use on loopback. */
  static Netns create(Vertx vertx, JsonObject storage) throws Exception {
    String tag = Integer.toString(ThreadLocalRandom.current().nextInt(1_000, 10_000));
    Netns n = new Netns(tag, freeSubnet());
    try {
      n.build(vertx, storage);
    } catch (Exception e) {
      n.close();
      throw e;
    }
    return n;
  }

  Side a() {
    return a;
  }

  Side b() {
    return b;
  }

  /** Takes the cluster link down: the two namespaces can no longer reach each other. */
  void cut() throws IOException {
    must("ip", "-n", ns("a"), "link", "set", dev("ab"), "down");
  }

  /** Brings the cluster link up again. */
  void heal() throws IOException {
    must("ip", "-n", ns("a"), "link", "set", dev("ab"), "up");
  }

  private String ns(String side) {
    return "sbp" + tag + side;
  }

  /** Interface names (at most 15 characters). */
  private String dev(String end) {
    return "sbp" + tag + end;
  }

  private String ip(int net, int host) {
    return subnet + "." + net + "." + host;
  }

  private void build(Vertx vertx, JsonObject storage) throws Exception {
    for (String side : List.of("a", "b")) {
      must("ip", "netns", "add", ns(side));
      must("ip", "-n", ns(side), "link", "set", "lo", "up");
    }
    // The cluster link, A <-> B.
    must("ip", "link", "add", dev("ab"), "netns", ns("a"), "type", "veth", "peer", "name", dev("ba"), "netns", ns("b"));
    address(ns("a"), dev("ab"), ip(0, 1));
    address(ns("b"), dev("ba"), ip(0, 2));
    // The access links, each namespace <-> the test's.
    int net = 1;
    for (String side : List.of("a", "b")) {
      must("ip", "link", "add", dev("r" + side), "type", "veth", "peer", "name", dev(side + "r"), "netns", ns(side));
      address(null, dev("r" + side), ip(net, 1));
      address(ns(side), dev(side + "r"), ip(net, 2));
      net++;
    }
    a = side("a", 1, vertx, storage);
    b = side("b", 2, vertx, storage);
  }

  private Side side(String name, int net, Vertx vertx, JsonObject storage) throws Exception {
    String here = ip(net, 1);
    JsonObject s = storage.copy();
    JsonObject db = s.getJsonObject("db");
    int dbPort = forward(vertx, here, db.getString("host"), db.getInteger("port"));
    db.put("host", here).put("port", dbPort);
    JsonObject state = s.getJsonObject("state");
    URI redis = URI.create(state.getString("redisUrl"));
    int redisPort = forward(vertx, here, redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort());
    state.put("redisUrl", redis.getScheme() + "://" + here + ":" + redisPort
        + (redis.getRawPath() == null ? "" : redis.getRawPath()));
    return new Side(ns(name), ip(0, net), ip(net, 2), s);
  }

  /** A TCP forwarder on {@code host} (any free port) to {@code toHost:toPort}; answers its port. */
  private int forward(Vertx vertx, String host, String toHost, int toPort) throws Exception {
    NetClient client = vertx.createNetClient();
    NetServer server = vertx.createNetServer().connectHandler(in -> {
      in.pause();
      client.connect(toPort, toHost).onSuccess(out -> {
        // Each direction with back-pressure; either side's end closes the other.
        in.pipeTo(out);
        out.pipeTo(in);
      }).onFailure(e -> in.close());
    });
    server.listen(0, host).await(10, TimeUnit.SECONDS);
    forwarders.add(() -> {
      server.close().await(10, TimeUnit.SECONDS);
      client.close().await(10, TimeUnit.SECONDS);
    });
    return server.actualPort();
  }

  private static void address(String namespace, String dev, String ip) throws IOException {
    List<String> prefix = namespace == null ? List.of("ip") : List.of("ip", "-n", namespace);
    List<String> add = new ArrayList<>(prefix);
    add.addAll(List.of("addr", "add", ip + "/24", "dev", dev));
    must(add.toArray(String[]::new));
    List<String> up = new ArrayList<>(prefix);
    up.addAll(List.of("link", "set", dev, "up"));
    must(up.toArray(String[]::new));
  }

  /** A 10.N prefix that no route of this machine uses. */
  private static String freeSubnet() throws IOException {
    String routes = run("ip", "-4", "route", "show", "table", "all").output;
    for (int n = 231; n < 255; n++) {
      if (!routes.contains("10." + n + ".")) {
        return "10." + n;
      }
    }
    throw new IllegalStateException("no free 10.N/16 for the test's links: " + routes);
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable f : forwarders) {
      f.close();
    }
    // Deleting a namespace deletes its veth ends, and with them their peers.
    for (String side : List.of("a", "b")) {
      run("ip", "netns", "del", ns(side));
    }
  }

  private record Run(int code, String output) {
  }

  private static Run run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not end in 30 s");
      }
      return new Run(p.exitValue(), out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void must(String... command) throws IOException {
    Run r = run(command);
    if (r.code != 0) {
      throw new IOException(String.join(" ", command) + " failed (" + r.code + "): " + r.output.strip());
    }
  }
}

package dev.switchboard.bench;

import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.protocol.frame.TcpFraming;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group fan-out load: one group of {@code members} users, all online over raw TCP, and one sender posting
 * {@code rate} messages per second for {@code seconds}. Reports deliveries per second, the server's CPU time per
 * delivery (from /proc of the server process {@code pid}, over the measured window, divided by the deliveries), and
 * send→receive latency measured on {@code sampled} receivers (the others only count frames, so the load generator
 * stays cheap). Bounded: it stops by itself.
 *
 * <p>{@code java -cp switchboard-harness.jar dev.switchboard.bench.GroupFanoutBench key=value...}; keys: host, api
 * (8080), tcp (9000), members (5000), rate (40), seconds (30), warmup (5), sampled (200), pid, password.
 */
public final class GroupFanoutBench {
  private final Map<String, String> args;
  private final AtomicLong frames = new AtomicLong();
  private final long[][] latencies;
  private final int[] sizes;
  private volatile long measureFrom;
  private volatile long measureUntil;

  private GroupFanoutBench(Map<String, String> args, int sampled) {
    this.args = args;
    this.latencies = new long[sampled][];
    this.sizes = new int[sampled];
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (String a : argv) {
      args.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    new GroupFanoutBench(args, Integer.parseInt(args.getOrDefault("sampled", "200"))).run();
  }

  private int intArg(String key, int fallback) {
    return Integer.parseInt(args.getOrDefault(key, Integer.toString(fallback)));
  }

  private static long cpuTicks(String pid) throws Exception {
    String[] f = Files.readString(Path.of("/proc", pid, "stat")).split("\\) ", 2)[1].split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private void run() throws Exception {
    String host = args.getOrDefault("host", "127.0.0.1");
    int members = intArg("members", 5000);
    int rate = intArg("rate", 40);
    int seconds = intArg("seconds", 30);
    int warmup = intArg("warmup", 5);
    String pid = args.get("pid");
    String password = args.getOrDefault("password", "bench-password");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    ApiClient api = new ApiClient(vertx, host, intArg("api", 8080));
    NetClient net = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    int tcp = intArg("tcp", 9000);
    String run = "gf" + UUID.randomUUID().toString().substring(0, 6);

    long t0 = System.currentTimeMillis();
    List<Long> uids = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int from = 0; from < members; from += 100) {
      List<Future<Long>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(members, from + 100); i++) {
        names.add(run + "u" + i);
        batch.add(api.register(run + "u" + i, password));
      }
      Future.all(batch).await(120, TimeUnit.SECONDS);
      batch.forEach(f -> uids.add(f.result()));
    }
    JsonObject owner = api.login(names.get(0), password, "web").await(30, TimeUnit.SECONDS);
    long gid = api.call(HttpMethod.POST, "/api/v1/groups", new JsonObject().put("name", "bench"),
        owner.getString("token")).await(30, TimeUnit.SECONDS).body().getLong("gid");
    for (int from = 1; from < members; from += 1000) {
      JsonArray chunk = new JsonArray(new ArrayList<>(uids.subList(from, Math.min(members, from + 1000))));
      api.call(HttpMethod.POST, "/api/v1/groups/" + gid + "/members", new JsonObject().put("members", chunk),
          owner.getString("token")).await(60, TimeUnit.SECONDS);
    }
    System.out.printf("setup: %d users registered, group %d filled in %.1f s%n", members, gid,
        (System.currentTimeMillis() - t0) / 1000.0);

    // Receivers: members 1..n-1 over raw TCP; a sample parses frames for latency, the rest count them.
    t0 = System.currentTimeMillis();
    List<NetSocket> sockets = new ArrayList<>();
    for (int from = 1; from < members; from += 200) {
      List<Future<NetSocket>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(members, from + 200); i++) {
        batch.add(receiver(api, net, host, tcp, names.get(i), password, i - 1));
      }
      Future.all(batch).await(120, TimeUnit.SECONDS);
      batch.forEach(f -> sockets.add(f.result()));
    }
    System.out.printf("connected: %d receivers online over TCP in %.1f s%n", sockets.size(),
        (System.currentTimeMillis() - t0) / 1000.0);
    ImClient sender = ImClient.tcp(net, host, tcp).await(30, TimeUnit.SECONDS);
    sender.request(new JsonObject().put("op", "auth").put("token", owner.getString("token")).put("device", "web"))
        .await(30, TimeUnit.SECONDS);
    sender.next("groups").await(30, TimeUnit.SECONDS);
    sender.onFrame(f -> { });

    long start = System.currentTimeMillis();
    measureFrom = start + warmup * 1000L;
    measureUntil = measureFrom + seconds * 1000L;
    long[] n = {0};
    long timer = vertx.setPeriodic(Math.max(1, 1000 / rate), id -> {
      long now = System.nanoTime();
      sender.send(new JsonObject().put("op", "msg.send").put("cid", "g" + n[0]++).put("group", gid)
          .put("type", "text").put("body", new JsonObject().put("t", now).put("text", "to everyone")));
    });
    long ticks0 = 0;
    long frames0 = 0;
    while (System.currentTimeMillis() < measureFrom) {
      sleep(vertx, 50);
    }
    Syscalls syscalls = null;
    if (pid != null) {
      ticks0 = cpuTicks(pid);
      if ("1".equals(args.get("syscalls"))) {
        syscalls = Syscalls.start(Long.parseLong(pid), seconds);
      }
    }
    frames0 = frames.get();
    long sent0 = n[0];
    while (System.currentTimeMillis() < measureUntil) {
      sleep(vertx, 50);
    }
    long deliveries = frames.get() - frames0;
    long sentInWindow = n[0] - sent0;
    double cpuSeconds = pid == null ? Double.NaN : (cpuTicks(pid) - ticks0) / 100.0;
    vertx.cancelTimer(timer);
    System.out.printf("members=%d online=%d sender=%d msg/s measured=%ds warmup=%ds%n", members, sockets.size(), rate,
        seconds, warmup);
    System.out.printf("sent %d group messages in the window; deliveries: %d (%.0f/s; %.1f%% of sent × online)%n",
        sentInWindow, deliveries, deliveries / (double) seconds,
        100.0 * deliveries / Math.max(1, sentInWindow * sockets.size()));
    if (pid != null) {
      System.out.printf("server CPU: %.2f s over %d s (%.0f%% of one core); %.2f µs per delivery%n", cpuSeconds,
          seconds, 100 * cpuSeconds / seconds, 1e6 * cpuSeconds / Math.max(1, deliveries));
      if (syscalls != null) {
        System.out.print(syscalls.report(deliveries, "delivery"));
      }
    }
    System.out.println("send->receive (sampled receivers) " + summary());
    vertx.close().await(60, TimeUnit.SECONDS);
    System.exit(0);
  }

  private static void sleep(Vertx vertx, long ms) throws Exception {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(ms, id -> p.complete());
    p.future().await(10, TimeUnit.SECONDS);
  }

  private String summary() {
    long[] all = new long[Arrays.stream(sizes).sum()];
    int k = 0;
    for (int i = 0; i < latencies.length; i++) {
      if (latencies[i] != null) {
        System.arraycopy(latencies[i], 0, all, k, sizes[i]);
        k += sizes[i];
      }
    }
    if (all.length == 0) {
      return "n=0";
    }
    Arrays.sort(all);
    return String.format("n=%d p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms", all.length, all[all.length / 2] / 1000.0,
        all[(int) (all.length * 0.9)] / 1000.0, all[(int) (all.length * 0.99)] / 1000.0,
        all[all.length - 1] / 1000.0);
  }

  private Future<NetSocket> receiver(ApiClient api, NetClient net, String host, int port, String user, String password,
                                     int index) {
    boolean sampled = index < latencies.length;
    return api.login(user, password, "mobile").compose(session -> net.connect(port, host).compose(socket -> {
      Promise<NetSocket> ready = Promise.promise();
      socket.handler(new TcpFraming(1 << 20, frame -> {
        if (!ready.future().isComplete()) {
          // Frames before the "groups" frame are auth.ok and the like; "groups" means subscribed.
          if (frame.toString().contains("\"op\":\"groups\"")) {
            ready.complete(socket);
          }
          return;
        }
        frames.incrementAndGet();
        if (sampled) {
          record(index, frame);
        }
      }, len -> socket.close()));
      socket.write(Buffer.buffer(TcpFraming.frame(new JsonObject().put("op", "auth")
          .put("token", session.getString("token")).put("device", "mobile").toBuffer().getBytes())));
      return ready.future();
    }));
  }

  private void record(int index, Buffer frame) {
    JsonObject f = frame.toJsonObject();
    JsonObject body = f.getJsonObject("body");
    if (body == null || !body.containsKey("t")) {
      return;
    }
    long t = body.getLong("t");
    long now = System.nanoTime();
    long sentAtMs = System.currentTimeMillis() - (now - t) / 1_000_000;
    if (sentAtMs < measureFrom || sentAtMs >= measureUntil) {
      return;
    }
    synchronized (latencies) {
      if (latencies[index] == null) {
        latencies[index] = new long[1024];
      }
      if (sizes[index] == latencies[index].length) {
        latencies[index] = Arrays.copyOf(latencies[index], sizes[index] * 2);
      }
      latencies[index][sizes[index]++] = (now - t) / 1000;
    }
  }
}

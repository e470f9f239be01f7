package dev.switchboard.bench;

import dev.switchboard.protocol.client.ApiClient;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * goim-style room push load, in roles so the sockets can be spread over several processes (one process may hold at
 * most ~19,000 sockets). Bounded: every role stops by itself.
 * <ul>
 *   <li>{@code role=setup users=100 tokens=FILE}: registers users and writes one token per line;</li>
 *   <li>{@code role=receivers count=N tokens=FILE room=R startAt=EPOCH_MS warmup=S seconds=S sampled=K}: opens N
 *   TCP sessions (users from the file, each with its own device name so none kicks another), joins room R, prints
 *   {@code READY}; counts every room message received inside the measured window and the frames that carried them;
 *   the first K sessions also parse each frame for push→receive latency; prints {@code RESULT ...} and holds its
 *   sockets for {@code hold} seconds (so the server's heap can be read) unless killed;</li>
 *   <li>{@code role=pusher rate=40 room=R startAt= warmup= seconds= key=API_KEY pid=SERVER_PID}: pushes through
 *   {@code POST /api/v1/push/rooms/R} at {@code rate}/s from {@code startAt}; reads the server's CPU time over the
 *   window and prints it.</li>
 * </ul>
 * A message carries {@code t}, the push time in epoch microseconds; every process reads the same clock.
 */
public final class RoomPushBench {
  private final Map<String, String> args;
  private final AtomicLong deliveries = new AtomicLong();
  private final AtomicLong frames = new AtomicLong();
  private long[] latencies = new long[1 << 16];
  private int latencyCount;
  private long measureFrom;
  private long measureUntil;

  private RoomPushBench(Map<String, String> args) {
    this.args = args;
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (String a : argv) {
      args.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    RoomPushBench bench = new RoomPushBench(args);
    switch (args.get("role")) {
      case "setup" -> bench.setup();
      case "receivers" -> bench.receivers();
      case "pusher" -> bench.pusher();
      default -> throw new IllegalArgumentException("role=setup|receivers|pusher");
    }
    System.exit(0);
  }

  private String arg(String key, String fallback) {
    return args.getOrDefault(key, fallback);
  }

  private int intArg(String key, int fallback) {
    return Integer.parseInt(arg(key, Integer.toString(fallback)));
  }

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private void window() {
    long startAt = Long.parseLong(args.get("startAt"));
    measureFrom = startAt + intArg("warmup", 5) * 1000L;
    measureUntil = measureFrom + intArg("seconds", 60) * 1000L;
  }

  private void setup() throws Exception {
    Vertx vertx = Vertx.vertx();
    ApiClient api = new ApiClient(vertx, arg("host", "127.0.0.1"), intArg("api", 8080));
    String run = "rp" + UUID.randomUUID().toString().substring(0, 6);
    String password = arg("password", "bench-password");
    List<Future<JsonObject>> logins = new ArrayList<>();
    for (int i = 0; i < intArg("users", 100); i++) {
      String user = run + "u" + i;
      logins.add(api.register(user, password).compose(uid -> api.login(user, password, "web")));
    }
    Future.all(logins).await(120, TimeUnit.SECONDS);
    Files.write(Path.of(args.get("tokens")), logins.stream().map(f -> f.result().getString("token")).toList());
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private void receivers() throws Exception {
    window();
    String host = arg("host", "127.0.0.1");
    int count = intArg("count", 10_000);
    int sampled = intArg("sampled", 500);
    int offset = intArg("offset", 0);
    String room = arg("room", "bench");
    List<String> tokens = Files.readAllLines(Path.of(args.get("tokens")));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    NetClient net = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    int port = intArg("tcp", 9000);
    List<NetSocket> sockets = new ArrayList<>();
    long t0 = System.currentTimeMillis();
    for (int from = 0; from < count; from += 250) {
      List<Future<NetSocket>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(count, from + 250); i++) {
        int n = offset + i;
        batch.add(receiver(net, host, port, tokens.get(n % tokens.size()), "d" + n, room, i < sampled));
      }
      Future.all(batch).await(120, TimeUnit.SECONDS);
      batch.forEach(f -> sockets.add(f.result()));
    }
    System.out.printf("READY %d sessions in room %s in %.1f s%n", sockets.size(), room,
        (System.currentTimeMillis() - t0) / 1000.0);
    byte[] ping = TcpFraming.frame(new JsonObject().put("op", "ping").toBuffer().getBytes());
    long pinger = vertx.setPeriodic(20_000, id -> sockets.forEach(s -> s.write(Buffer.buffer(ping))));
    while (System.currentTimeMillis() < measureUntil + 2_000) {
      sleep(vertx, 100);
    }
    String latency;
    synchronized (this) {
      latency = summary(Arrays.copyOf(latencies, latencyCount));
    }
    System.out.printf("RESULT sessions=%d deliveries=%d frames=%d latency %s%n", sockets.size(), deliveries.get(),
        frames.get(), latency);
    long holdUntil = System.currentTimeMillis() + intArg("hold", 0) * 1000L;
    while (System.currentTimeMillis() < holdUntil) {
      sleep(vertx, 200);
    }
    vertx.cancelTimer(pinger);
    vertx.close().await(60, TimeUnit.SECONDS);
  }

  private static final byte[] MSG_START = "{\"type\":".getBytes(StandardCharsets.UTF_8);

  private Future<NetSocket> receiver(NetClient net, String host, int port, String token, String device, String room,
                                     boolean sampled) {
    Promise<Void> joined = Promise.promise();
    return BenchSession.open(net, host, port, token, device, frame -> {
      if (!joined.future().isComplete()) {
        String text = frame.toString();
        if (text.contains("\"op\":\"ok\"")) {
          joined.complete();
        } else if (text.contains("\"op\":\"error\"")) {
          joined.tryFail(text);
        }
        return;
      }
      long now = System.currentTimeMillis();
      if (now < measureFrom || now >= measureUntil) {
        return;
      }
      frames.incrementAndGet();
      if (sampled) {
        record(frame);
      } else {
        deliveries.addAndGet(occurrences(frame.getBytes(), MSG_START));
      }
    }).compose(socket -> {
      BenchSession.write(socket, new JsonObject().put("op", "room.join").put("room", room).put("id", 1));
      return joined.future().map(socket);
    });
  }

  private static int occurrences(byte[] haystack, byte[] needle) {
    int found = 0;
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      found++;
    }
    return found;
  }

  private void record(Buffer frame) {
    JsonObject f = frame.toJsonObject();
    JsonArray msgs = f.getJsonArray("msgs");
    if (msgs == null) {
      return;
    }
    long now = nowMicros();
    deliveries.addAndGet(msgs.size());
    synchronized (this) {
      for (Object m : msgs) {
        JsonObject body = ((JsonObject) m).getJsonObject("body");
        if (latencyCount == latencies.length) {
          latencies = Arrays.copyOf(latencies, latencies.length * 2);
        }
        latencies[latencyCount++] = now - body.getLong("t");
      }
    }
  }

  private void pusher() throws Exception {
    window();
    Vertx vertx = Vertx.vertx();
    ApiClient api = new ApiClient(vertx, arg("host", "127.0.0.1"), intArg("api", 8080));
    String room = arg("room", "bench");
    int rate = intArg("rate", 40);
    String pid = args.get("pid");
    Map<String, String> key = Map.of("X-Api-Key", args.get("key"));
    long startAt = Long.parseLong(args.get("startAt"));
    while (System.currentTimeMillis() < startAt) {
      sleep(vertx, 10);
    }
    AtomicLong pushed = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong inWindow = new AtomicLong();
    long timer = vertx.setPeriodic(Math.max(1, 1000 / rate), id -> {
      long now = System.currentTimeMillis();
      if (now >= measureUntil) {
        return;
      }
      JsonObject body = new JsonObject().put("body", new JsonObject().put("t", nowMicros()).put("text", "goal"));
      api.call(HttpMethod.POST, "/api/v1/push/rooms/" + room, body, null, key).onComplete(ar -> {
        if (ar.failed() || ar.result().status() != 200) {
          failed.incrementAndGet();
        }
      });
      pushed.incrementAndGet();
      if (now >= measureFrom) {
        inWindow.incrementAndGet();
      }
    });
    while (System.currentTimeMillis() < measureFrom) {
      sleep(vertx, 5);
    }
    long[] ticks0 = pid == null ? new long[2] : cpuTicks(pid);
    while (System.currentTimeMillis() < measureUntil) {
      sleep(vertx, 5);
    }
    long[] ticks1 = pid == null ? new long[2] : cpuTicks(pid);
    vertx.cancelTimer(timer);
    System.out.printf("PUSHER pushed=%d inWindow=%d failed=%d serverCpuSeconds=%.2f user=%.2f system=%.2f%n",
        pushed.get(), inWindow.get(), failed.get(), (ticks1[0] + ticks1[1] - ticks0[0] - ticks0[1]) / 100.0,
        (ticks1[0] - ticks0[0]) / 100.0, (ticks1[1] - ticks0[1]) / 100.0);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /** User and system CPU ticks (1/100 s) of process {@code pid}. */
  private static long[] cpuTicks(String pid) throws Exception {
    String[] f = Files.readString(Path.of("/proc", pid, "stat")).split("\\) ", 2)[1].split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  private static void sleep(Vertx vertx, long ms) throws Exception {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(ms, id -> p.complete());
    p.future().await(10, TimeUnit.SECONDS);
  }

  private static String summary(long[] micros) {
    if (micros.length == 0) {
      return "n=0";
    }
    Arrays.sort(micros);
    return String.format("n=%d p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms", micros.length,
        micros[micros.length / 2] / 1000.0, micros[(int) (micros.length * 0.9)] / 1000.0,
        micros[(int) (micros.length * 0.99)] / 1000.0, micros[micros.length - 1] / 1000.0);
  }
}

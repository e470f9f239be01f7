package dev.switchboard.bench;

import dev.switchboard.protocol.client.ApiClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Session logins and cross-gateway latency, for a single node or a cluster. Bounded; stops by itself.
 * <ol>
 *   <li>Logins: {@code sessions} TCP sessions (users from {@code users} accounts, each session its own device name)
 *   authenticate against the gateways in {@code tcp} (comma-separated ports, taken in turn), {@code concurrency} at a
 *   time (each login that completes starts the next), after warm-up rounds just like it, {@code warmup} logins in all,
 *   each round's sessions closed after it (JIT and the gateways' user shards warm); a login counts when
 *   {@code groups} arrives (the session's {@code im.user.<uid>} consumer, and in a cluster its process's consumer of
 *   the user's shard, is registered by then). Reports logins per second. The sessions stay open during the next
 *   phase.</li>
 *   <li>Latency: {@code pairs} sender/receiver pairs, the sender on the first gateway and the receiver on the last,
 *   send {@code rate} messages per second in total for {@code seconds}, after {@code latencyWarmup} seconds of the
 *   same traffic that are not measured; send→receive latency from one clock.</li>
 * </ol>
 * {@code java -cp switchboard-harness.jar dev.switchboard.bench.SessionsBench api=8080 tcp=9000,9001 ...}
 */
public final class SessionsBench {
  private SessionsBench() {
  }

  /** While the latency phase warms up: messages sent then are marked not measured. */
  private static volatile boolean warmingUp;

  /** One round of logins: the sessions that logged in (still open), how many failed, how long it took. */
  private record Round(List<NetSocket> open, int failed, double seconds) {
  }

  /**
   * Logs in {@code sessions} sessions over {@code ports} in turn, {@code concurrency} in flight (each completion
   * starts the next), session i as user i mod {@code users} with device {@code prefix + i}; a login counts when
   * {@code groups} arrives.
   */
  private static Round loginRound(NetClient net, String host, int[] ports, List<JsonObject> accounts, int users,
                                  int sessions, int concurrency, String prefix) throws Exception {
    List<NetSocket> open = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    Promise<Void> loggedIn = Promise.promise();
    Runnable[] launch = new Runnable[1];
    launch[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= sessions) {
        return;
      }
      BenchSession.open(net, host, ports[i % ports.length], accounts.get(i % users).getString("token"), prefix + i,
          null).onComplete(ar -> {
            if (ar.succeeded()) {
              open.add(ar.result());
            } else {
              failed.incrementAndGet();
            }
            if (finished.incrementAndGet() == sessions) {
              loggedIn.complete();
            } else {
              launch[0].run();
            }
          });
    };
    long t0 = System.nanoTime();
    for (int c = 0; c < Math.min(concurrency, sessions); c++) {
      launch[0].run();
    }
    loggedIn.future().await(600, TimeUnit.SECONDS);
    return new Round(open, failed.get(), (System.nanoTime() - t0) / 1e9);
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String s : argv) {
      a.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
    }
    String host = a.getOrDefault("host", "127.0.0.1");
    int[] ports = Arrays.stream(a.getOrDefault("tcp", "9000").split(",")).mapToInt(Integer::parseInt).toArray();
    int users = Integer.parseInt(a.getOrDefault("users", "100"));
    int sessions = Integer.parseInt(a.getOrDefault("sessions", "4000"));
    int concurrency = Integer.parseInt(a.getOrDefault("concurrency", "100"));
    int pairs = Integer.parseInt(a.getOrDefault("pairs", "50"));
    int rate = Integer.parseInt(a.getOrDefault("rate", "200"));
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "20"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "0"));
    int latencyWarmup = Integer.parseInt(a.getOrDefault("latencyWarmup", "0"));
    String password = a.getOrDefault("password", "bench-password");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    ApiClient api = new ApiClient(vertx, host, Integer.parseInt(a.getOrDefault("api", "8080")));
    NetClient net = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    String run = "sb" + UUID.randomUUID().toString().substring(0, 6);

    List<JsonObject> accounts = new ArrayList<>();
    for (int from = 0; from < users + 2 * pairs; from += 20) {
      List<Future<JsonObject>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(users + 2 * pairs, from + 20); i++) {
        String u = run + "u" + i;
        batch.add(api.register(u, password).compose(uid -> api.login(u, password, "web")));
      }
      Future.all(batch).await(300, TimeUnit.SECONDS);
      batch.forEach(f -> accounts.add(f.result()));
    }

    // Warm-up: rounds exactly like the measured one (`sessions` logins, `concurrency` in flight, every session kept
    // open until the round ends, then all closed) until `warmup` logins are done: the servers' JIT compiles the paths
    // the measured round takes (a user with several sessions online included), and each gateway process registers
    // the user shards it will hold.
    int rounds = (warmup + sessions - 1) / sessions;
    for (int r = 0; r < rounds; r++) {
      Round round = loginRound(net, host, ports, accounts, users, sessions, concurrency, "w" + r + "x");
      List<Future<Void>> closed = new ArrayList<>();
      round.open.forEach(so -> closed.add(so.close()));
      Future.all(closed).await(60, TimeUnit.SECONDS);
    }
    if (rounds > 0) {
      System.out.printf("warm-up: %d rounds of %d logins, closed%n", rounds, sessions);
    }

    // Phase 1: logins, `concurrency` in flight at any time (each completion starts the next).
    marker("LOGINS START");
    Round measured = loginRound(net, host, ports, accounts, users, sessions, concurrency, "d");
    marker("LOGINS END");
    System.out.printf("logins: %d sessions over %d gateway(s) in %.2f s = %.0f logins/s (concurrency %d), %d failed%n",
        sessions, ports.length, measured.seconds, sessions / measured.seconds, concurrency, measured.failed);

    // Phase 2: latency from the first gateway to the last.
    long[] latencies = new long[rate * seconds + pairs * 4];
    AtomicInteger n = new AtomicInteger();
    List<NetSocket> senders = new ArrayList<>();
    for (int p = 0; p < pairs; p++) {
      JsonObject receiver = accounts.get(users + 2 * p + 1);
      BenchSession.open(net, host, ports[ports.length - 1], receiver.getString("token"), "web", frame -> {
        JsonObject f = frame.toJsonObject();
        if ("msg".equals(f.getString("op")) && f.getJsonObject("body").getBoolean("measured", false)) {
          long sent = f.getJsonObject("body").getLong("t");
          int k = n.getAndIncrement();
          if (k < latencies.length) {
            latencies[k] = System.nanoTime() - sent;
          }
        }
      }).await(30, TimeUnit.SECONDS);
      senders.add(BenchSession.open(net, host, ports[0], accounts.get(users + 2 * p).getString("token"), "web", null)
          .await(30, TimeUnit.SECONDS));
    }
    long[] count = {0, 0};
    // The message path's own warm-up: the same traffic for `latencyWarmup` seconds, not measured (the servers' JIT
    // compiles the send path then; a cluster's three JVMs each compile their part).
    warmingUp = latencyWarmup > 0;
    long timer = vertx.setPeriodic(Math.max(1, 1000 / rate), id -> {
      int p = (int) (count[0] % pairs);
      boolean counted = !warmingUp;
      if (counted) {
        count[1]++;
      }
      JsonObject to = accounts.get(users + 2 * p + 1);
      BenchSession.write(senders.get(p), new JsonObject().put("op", "msg.send").put("cid", "c" + count[0]++)
          .put("to", to.getLong("uid")).put("type", "text")
          .put("body", new JsonObject().put("t", System.nanoTime()).put("measured", counted)));
    });
    if (latencyWarmup > 0) {
      Promise<Void> warm = Promise.promise();
      vertx.setTimer(latencyWarmup * 1000L, id -> warm.complete());
      warm.future().await(latencyWarmup + 10, TimeUnit.SECONDS);
      warmingUp = false;
    }
    marker("LATENCY START");
    Promise<Void> wait = Promise.promise();
    vertx.setTimer(seconds * 1000L, id -> wait.complete());
    wait.future().await(seconds + 10, TimeUnit.SECONDS);
    vertx.cancelTimer(timer);
    marker("LATENCY END");
    Promise<Void> drain = Promise.promise();
    vertx.setTimer(2000, id -> drain.complete());
    drain.future().await(10, TimeUnit.SECONDS);
    int got = Math.min(n.get(), latencies.length);
    long[] sorted = Arrays.copyOf(latencies, got);
    Arrays.sort(sorted);
    System.out.printf("latency first→last gateway: sent %d, received %d; p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, "
        + "max %.1f ms%n", count[1], got, pct(sorted, 0.5), pct(sorted, 0.9), pct(sorted, 0.99), pct(sorted, 1.0));
    vertx.close().await(30, TimeUnit.SECONDS);
    System.exit(0);
  }

  /** A line the runner waits for to read the servers' CPU at a phase boundary (epoch ms). */
  private static void marker(String what) {
    System.out.println(what + " " + System.currentTimeMillis());
    System.out.flush();
  }

  private static double pct(long[] sorted, double q) {
    return sorted.length == 0 ? Double.NaN
        : sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e6;
  }
}

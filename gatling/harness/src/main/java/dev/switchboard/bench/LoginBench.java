package dev.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Password logins per second through the HTTP route ({@code POST /api/v1/sessions}), which is bound by the password
 * hash. Registers {@code users} accounts ({@code concurrency} at a time), then logs each in {@code rounds} times with
 * {@code concurrency} requests in flight, and prints logins/s, latency percentiles and the statuses seen. Bounded;
 * stops by itself. The node's per-address login rate limit ({@code verticles.api.addressRateLimit}) must be raised
 * above the rate measured, since every request comes from 127.0.0.1.
 * {@code java -cp switchboard-harness.jar dev.switchboard.bench.LoginBench api=8080 users=200 rounds=2 concurrency=16}
 */
public final class LoginBench {
  private static final String PASSWORD = "bench-password-1";

  private LoginBench() {
  }

  public static void main(String[] argv) throws Exception {
    Args a = new Args(argv);
    String host = a.str("host", "127.0.0.1");
    int port = a.integer("api", 8080);
    int users = a.integer("users", 200);
    int rounds = a.integer("rounds", 2);
    int concurrency = a.integer("concurrency", 16);
    Vertx vertx = Vertx.vertx();
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port)
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(concurrency));
    String run = "lb" + UUID.randomUUID().toString().substring(0, 6);
    try {
      Phase register = run(vertx, http, "/api/v1/users", users, concurrency, i -> new JsonObject()
          .put("username", run + "u" + i).put("password", PASSWORD));
      System.out.println("register: " + register);
      Phase login = run(vertx, http, "/api/v1/sessions", users * rounds, concurrency, i -> new JsonObject()
          .put("username", run + "u" + (i % users)).put("password", PASSWORD).put("device", "d" + (i / users)));
      System.out.println("login:    " + login);
    } finally {
      http.close().toCompletionStage().toCompletableFuture().get();
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  /** The outcome of one phase: request count, rate, latency percentiles in ms, statuses seen. */
  record Phase(int requests, double perSecond, double p50, double p99, Map<Integer, Integer> statuses) {
    @Override
    public String toString() {
      return String.format("%d requests, %.1f/s, p50 %.1f ms, p99 %.1f ms, statuses %s", requests, perSecond, p50,
          p99, statuses);
    }
  }

  private static Phase run(Vertx vertx, HttpClient http, String path, int total, int concurrency,
                           java.util.function.IntFunction<JsonObject> body) throws Exception {
    long[] latencies = new long[total];
    Map<Integer, Integer> statuses = new TreeMap<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicLong started = new AtomicLong(System.nanoTime());
    Promise<Void> finished = Promise.promise();
    vertx.runOnContext(v -> {
      started.set(System.nanoTime());
      for (int c = 0; c < Math.min(concurrency, total); c++) {
        send(http, path, total, body, latencies, statuses, next, done, finished);
      }
    });
    finished.future().toCompletionStage().toCompletableFuture().get();
    double seconds = (System.nanoTime() - started.get()) / 1e9;
    Arrays.sort(latencies);
    return new Phase(total, total / seconds, latencies[total / 2] / 1e6, latencies[Math.min(total - 1,
        (int) (total * 0.99))] / 1e6, statuses);
  }

  /** Sends request number {@code next} and, when it completes, the following one: one chain per client slot. */
  private static void send(HttpClient http, String path, int total, java.util.function.IntFunction<JsonObject> body,
                           long[] latencies, Map<Integer, Integer> statuses, AtomicInteger next, AtomicInteger done,
                           Promise<Void> finished) {
    int i = next.getAndIncrement();
    if (i >= total) {
      return;
    }
    long t0 = System.nanoTime();
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
            .putHeader("Content-Type", "application/json"))
        .compose(req -> req.send(body.apply(i).toBuffer()))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .recover(err -> Future.succeededFuture(-1))
        .onComplete(ar -> {
          latencies[i] = System.nanoTime() - t0;
          statuses.merge(ar.result(), 1, Integer::sum);
          if (done.incrementAndGet() == total) {
            finished.complete();
          } else {
            send(http, path, total, body, latencies, statuses, next, done, finished);
          }
        });
  }
}

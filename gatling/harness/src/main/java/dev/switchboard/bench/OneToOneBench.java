package dev.switchboard.bench;

import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One-to-one load: {@code pairs} sender/receiver pairs over raw TCP, each sender sending {@code rate} messages per
 * second (open loop, random phase) for {@code seconds}; reports acked messages per second, send→ack and
 * send→receive latency percentiles, and whether every acked message was received. Bounded: it stops by itself, and
 * a sender with {@code window} sends awaiting their acks skips its turn (counted) instead of queueing without bound.
 *
 * <p>{@code java -jar switchboard-harness.jar key=value...}; keys: host (127.0.0.1), api (8080), tcp (9000), pairs
 * (500), rate (20), seconds (30), warmup (5), window (32), password (bench-password), syscalls (0; 1 counts the
 * server's system calls over the window, see {@link Syscalls}).
 */
public final class OneToOneBench {
  private final Map<String, String> args;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final Recorder ackLatency = new Recorder();
  private final Recorder deliveryLatency = new Recorder();
  private final Map<String, Boolean> ackedCids = new ConcurrentHashMap<>();
  private final Map<String, Boolean> receivedCids = new ConcurrentHashMap<>();
  private final Map<String, Long> errorCodes = new ConcurrentHashMap<>();
  private volatile long measureFrom;
  private volatile long measureUntil;

  private OneToOneBench(Map<String, String> args) {
    this.args = args;
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (String a : argv) {
      int eq = a.indexOf('=');
      if (eq > 0) {
        args.put(a.substring(0, eq), a.substring(eq + 1));
      }
    }
    new OneToOneBench(args).run();
  }

  private String arg(String key, String fallback) {
    return args.getOrDefault(key, fallback);
  }

  private int intArg(String key, int fallback) {
    return Integer.parseInt(arg(key, Integer.toString(fallback)));
  }

  /** Latencies in microseconds, recorded from any thread, read once at the end. */
  private static final class Recorder {
    private long[] values = new long[1 << 16];
    private int size;

    synchronized void record(long micros) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = micros;
    }

    synchronized String summary() {
      if (size == 0) {
        return "n=0";
      }
      long[] v = Arrays.copyOf(values, size);
      Arrays.sort(v);
      return String.format("n=%d p50=%.1fms p90=%.1fms p99=%.1fms p99.9=%.1fms max=%.1fms", size,
          v[size / 2] / 1000.0, v[(int) (size * 0.9)] / 1000.0, v[(int) (size * 0.99)] / 1000.0,
          v[Math.min(size - 1, (int) (size * 0.999))] / 1000.0, v[size - 1] / 1000.0);
    }
  }

  private void run() throws Exception {
    String host = arg("host", "127.0.0.1");
    int pairs = intArg("pairs", 500);
    int rate = intArg("rate", 20);
    int seconds = intArg("seconds", 30);
    int warmup = intArg("warmup", 5);
    int window = intArg("window", 32);
    String password = arg("password", "bench-password");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    ApiClient api = new ApiClient(vertx, host, intArg("api", 8080));
    NetClient net = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    int tcp = intArg("tcp", 9000);
    String run = UUID.randomUUID().toString().substring(0, 6);

    long t0 = System.currentTimeMillis();
    List<ImClient> senders = new ArrayList<>();
    List<Long> receiverUids = new ArrayList<>();
    List<ImClient> receivers = new ArrayList<>();
    for (int batch = 0; batch < pairs; batch += 50) {
      List<Future<?>> setup = new ArrayList<>();
      for (int i = batch; i < Math.min(pairs, batch + 50); i++) {
        String a = "b" + run + "s" + i;
        String b = "b" + run + "r" + i;
        setup.add(api.register(a, password).compose(x -> api.register(b, password))
            .compose(x -> connect(api, net, host, tcp, b, password, true))
            .compose(receiver -> connect(api, net, host, tcp, a, password, false).map(sender -> {
              synchronized (senders) {
                senders.add(sender.client);
                receivers.add(receiver.client);
                receiverUids.add(receiver.uid);
              }
              return null;
            })));
      }
      Future.all(setup).await(120, TimeUnit.SECONDS);
    }
    System.out.printf("setup: %d pairs registered, logged in and connected over TCP in %.1f s%n", pairs,
        (System.currentTimeMillis() - t0) / 1000.0);

    long start = System.currentTimeMillis();
    measureFrom = start + warmup * 1000L;
    measureUntil = measureFrom + seconds * 1000L;
    long periodMs = Math.max(1, 1000 / rate);
    List<Long> timers = new ArrayList<>();
    for (int i = 0; i < senders.size(); i++) {
      ImClient sender = senders.get(i);
      long to = receiverUids.get(i);
      int[] outstanding = {0};
      long[] n = {0};
      String senderTag = i + ":";
      sender.onFrame(f -> {
        if ("msg.ack".equals(f.getString("op"))) {
          outstanding[0]--;
          long sentAt = Long.parseLong(f.getString("id"));
          long now = System.nanoTime();
          acked.incrementAndGet();
          ackedCids.put(senderTag + f.getString("cid"), Boolean.TRUE);
          if (inWindow(sentAt)) {
            ackLatency.record((now - sentAt) / 1000);
          }
        } else if ("error".equals(f.getString("op"))) {
          outstanding[0]--;
          errorCodes.merge(f.getString("code"), 1L, Long::sum);
          errors.incrementAndGet();
        }
      });
      long phase = ThreadLocalRandom.current().nextLong(periodMs) + 1;
      vertx.setTimer(phase, first -> timers.add(vertx.setPeriodic(periodMs, id -> {
        if (System.currentTimeMillis() >= measureUntil) {
          vertx.cancelTimer(id);
          return;
        }
        if (outstanding[0] >= window) {
          skipped.incrementAndGet();
          return;
        }
        outstanding[0]++;
        long now = System.nanoTime();
        sent.incrementAndGet();
        sender.send(new JsonObject().put("op", "msg.send").put("id", Long.toString(now))
            .put("cid", "c" + (n[0]++)).put("to", to).put("type", "text")
            .put("body", new JsonObject().put("t", now).put("s", senderTag).put("text", "hello from the benchmark")));
      })));
    }

    long measured0 = 0;
    ProcessCpu cpu = new ProcessCpu(arg("pid", null));
    String cpuReport = null;
    while (System.currentTimeMillis() < measureUntil) {
      Promise<Void> tick = Promise.promise();
      vertx.setTimer(Math.max(1, Math.min(1000, (measured0 == 0 ? measureFrom : measureUntil)
          - System.currentTimeMillis())), id -> tick.complete());
      tick.future().await(5, TimeUnit.SECONDS);
      if (measured0 == 0 && System.currentTimeMillis() >= measureFrom) {
        measured0 = acked.get();
        cpu.begin(intArg("syscalls", 0) == 1 ? seconds : 0);
      }
    }
    long ackedInWindow = acked.get() - measured0;
    cpuReport = cpu.report(seconds, ackedInWindow, "acked message");
    // Let the last sends finish and their messages arrive: wait until every send was answered and everything acked
    // was received live, at most 60 s.
    long drainUntil = System.currentTimeMillis() + 60_000;
    while ((acked.get() + errors.get() < sent.get() || !receivedCids.keySet().containsAll(ackedCids.keySet()))
        && System.currentTimeMillis() < drainUntil) {
      Promise<Void> tick = Promise.promise();
      vertx.setTimer(100, id -> tick.complete());
      tick.future().await(5, TimeUnit.SECONDS);
    }
    System.out.printf("pairs=%d rate=%d/s per sender (offered %d msg/s) measured=%ds warmup=%ds window=%d%n", pairs,
        rate, pairs * rate, seconds, warmup, window);
    System.out.printf("acked: %.0f msg/s over the measured window; total sent=%d acked=%d errors=%d skipped=%d%n",
        ackedInWindow / (double) seconds, sent.get(), acked.get(), errors.get(), skipped.get());
    System.out.print("CPU over the measured window (per process):\n" + cpuReport);
    if (!errorCodes.isEmpty()) {
      System.out.println("errors by code: " + errorCodes);
    }
    System.out.printf("unanswered sends after the drain: %d%n", sent.get() - acked.get() - errors.get());
    receivers.forEach(r -> r.onFrame(null));
    List<String> notLive = ackedCids.keySet().stream().filter(k -> !receivedCids.containsKey(k)).toList();
    // The inbox is the authority: anything acked but not seen live must be there for sync.
    long missing = 0;
    for (String key : notLive) {
      int i = Integer.parseInt(key.substring(0, key.indexOf(':')));
      String cid = key.substring(key.indexOf(':') + 1);
      if (!inInbox(receivers.get(i), cid)) {
        missing++;
      }
    }
    System.out.printf("received live: %d messages; acked %d; acked but not seen live: %d; of those missing from the "
        + "recipient's inbox: %d (%s)%n", received.get(), ackedCids.size(), notLive.size(), missing,
        missing == 0 ? "every acked message delivered" : "LOST MESSAGES");
    System.out.println("receiver connections closed by the server: " + receiversClosed.get());
    System.out.println("send->ack     " + ackLatency.summary());
    System.out.println("send->receive " + deliveryLatency.summary());
    vertx.close().await(30, TimeUnit.SECONDS);
    System.exit(missing == 0 ? 0 : 1);
  }

  private final AtomicLong receiversClosed = new AtomicLong();

  /** Pages through the receiver's inbox looking for {@code cid}. */
  private static boolean inInbox(ImClient receiver, String cid) throws Exception {
    long after = 0;
    while (true) {
      JsonObject page = receiver.request(new JsonObject().put("op", "sync").put("after", after).put("limit", 500))
          .await(30, TimeUnit.SECONDS);
      var msgs = page.getJsonArray("msgs");
      for (int i = 0; i < msgs.size(); i++) {
        if (cid.equals(msgs.getJsonObject(i).getString("cid"))) {
          return true;
        }
      }
      if (!page.getBoolean("more", false) || msgs.isEmpty()) {
        return false;
      }
      after = msgs.getJsonObject(msgs.size() - 1).getLong("seq");
    }
  }

  private boolean inWindow(long sentAtNanos) {
    // nanoTime and currentTimeMillis differ in origin; compare by converting the window once per call.
    long ageMs = (System.nanoTime() - sentAtNanos) / 1_000_000;
    long sentAtMs = System.currentTimeMillis() - ageMs;
    return sentAtMs >= measureFrom && sentAtMs < measureUntil;
  }

  private record Connected(ImClient client, long uid) {
  }

  private Future<Connected> connect(ApiClient api, NetClient net, String host, int port, String user, String password,
                                    boolean receiver) {
    return api.login(user, password, "mobile").compose(session -> ImClient.tcp(net, host, port).compose(c -> {
      JsonObject auth = new JsonObject().put("op", "auth").put("token", session.getString("token"))
          .put("device", "mobile");
      if (!receiver) {
        return c.request(auth).map(ok -> new Connected(c, session.getLong("uid")));
      }
      Promise<Connected> online = Promise.promise();
      c.onFrame(f -> {
        String op = f.getString("op");
        if ("msg".equals(op)) {
          received.incrementAndGet();
          receivedCids.put(f.getJsonObject("body").getString("s") + f.getString("cid"), Boolean.TRUE);
          long t = f.getJsonObject("body").getLong("t");
          if (inWindow(t)) {
            deliveryLatency.record((System.nanoTime() - t) / 1000);
          }
        } else if ("auth.ok".equals(op)) {
          online.tryComplete(new Connected(c, session.getLong("uid")));
        }
      });
      c.closed().onComplete(x -> receiversClosed.incrementAndGet());
      c.send(auth);
      return online.future();
    }));
  }
}

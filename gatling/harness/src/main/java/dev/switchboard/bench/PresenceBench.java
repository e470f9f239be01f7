package dev.switchboard.bench;

import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.frame.TcpFraming;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live presence fan-out: one user with {@code contacts} contacts, every contact online over raw TCP, and the user's
 * only session opened and closed {@code toggles} times. Each open and each close is one presence event that every
 * contact must receive ({@code presence {uid, online}}) before the next one starts. Reports the server's CPU time
 * per presence event and per delivery over the measured toggles (from /proc of the server process {@code pid}), and
 * the time from the session's {@code auth.ok} (or its close) until the last contact had the frame. A second phase
 * toggles a user with no contacts the same number of times: its CPU per toggle is what a login and a logout cost
 * without presence, so the difference is what telling the contacts costs. Bounded: it stops by itself.
 *
 * <p>{@code java -cp switchboard-harness.jar dev.switchboard.bench.PresenceBench key=value...}; keys: host, api
 * (8080), tcp (9000), contacts (1000), toggles (200), warmup (20), pid, password.
 */
public final class PresenceBench {
  private static final byte[] PRESENCE = "\"op\":\"presence\"".getBytes(StandardCharsets.UTF_8);

  private final Map<String, String> args;
  private final AtomicLong received = new AtomicLong();
  /** Completed by a receiver's frame handler once {@link #received} reaches {@link #target}. */
  private volatile Promise<Void> reached;
  private volatile long target;

  private PresenceBench(Map<String, String> args) {
    this.args = args;
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (String a : argv) {
      args.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    new PresenceBench(args).run();
  }

  private int intArg(String key, int fallback) {
    return Integer.parseInt(args.getOrDefault(key, Integer.toString(fallback)));
  }

  private void run() throws Exception {
    String host = args.getOrDefault("host", "127.0.0.1");
    int contacts = intArg("contacts", 1000);
    int toggles = intArg("toggles", 200);
    int warmup = intArg("warmup", 20);
    String password = args.getOrDefault("password", "bench-password");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    ApiClient api = new ApiClient(vertx, host, intArg("api", 8080));
    NetClient net = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    int tcp = intArg("tcp", 9000);
    String run = "pr" + UUID.randomUUID().toString().substring(0, 6);

    long t0 = System.currentTimeMillis();
    String subjectName = run + "s";
    String loneName = run + "l";
    api.register(subjectName, password).await(30, TimeUnit.SECONDS);
    api.register(loneName, password).await(30, TimeUnit.SECONDS);
    JsonObject subject = api.login(subjectName, password, "web").await(30, TimeUnit.SECONDS);
    JsonObject lone = api.login(loneName, password, "web").await(30, TimeUnit.SECONDS);
    List<JsonObject> sessions = new ArrayList<>();
    for (int from = 0; from < contacts; from += 100) {
      List<Future<JsonObject>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(contacts, from + 100); i++) {
        String name = run + "c" + i;
        batch.add(api.register(name, password).compose(uid -> api.login(name, password, "mobile"))
            .compose(s -> api.call(HttpMethod.POST, "/api/v1/contacts/requests",
                new JsonObject().put("uid", subject.getLong("uid")), s.getString("token")).map(r -> {
                  if (r.status() != 201) {
                    throw new IllegalStateException("contact request: " + r.status() + " " + r.body());
                  }
                  return s;
                })));
      }
      Future.all(batch).await(120, TimeUnit.SECONDS);
      batch.forEach(f -> sessions.add(f.result()));
    }
    for (int from = 0; from < contacts; from += 50) {
      List<Future<ApiClient.Result>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(contacts, from + 50); i++) {
        batch.add(api.call(HttpMethod.POST, "/api/v1/contacts/requests/" + sessions.get(i).getLong("uid")
            + "/accept", null, subject.getString("token")));
      }
      Future.all(batch).await(120, TimeUnit.SECONDS);
      for (Future<ApiClient.Result> f : batch) {
        if (f.result().status() != 200) {
          throw new IllegalStateException("accept: " + f.result().status() + " " + f.result().body());
        }
      }
    }
    System.out.printf("setup: %d contacts of one user made in %.1f s%n", contacts,
        (System.currentTimeMillis() - t0) / 1000.0);

    t0 = System.currentTimeMillis();
    List<NetSocket> sockets = new ArrayList<>();
    for (int from = 0; from < contacts; from += 200) {
      List<Future<NetSocket>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(contacts, from + 200); i++) {
        batch.add(receiver(net, host, tcp, sessions.get(i).getString("token")));
      }
      Future.all(batch).await(120, TimeUnit.SECONDS);
      batch.forEach(f -> sockets.add(f.result()));
    }
    System.out.printf("connected: %d contacts online over TCP in %.1f s%n", sockets.size(),
        (System.currentTimeMillis() - t0) / 1000.0);

    ProcessCpu cpu = new ProcessCpu(args.get("pid"));
    long[] onMicros = new long[toggles];
    long[] offMicros = new long[toggles];
    for (int i = 0; i < warmup; i++) {
      toggle(net, host, tcp, subject, contacts, null, 0);
    }
    cpu.begin();
    long started = System.nanoTime();
    for (int i = 0; i < toggles; i++) {
      long[] times = toggle(net, host, tcp, subject, contacts, onMicros, i);
      offMicros[i] = times[1];
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double serverCpu = cpu.serverSeconds();
    long events = 2L * toggles;
    long deliveries = events * contacts;
    String report = cpu.report(seconds, events, "presence event");

    // The same toggles for a user nobody has as a contact: a login and a logout without presence to tell.
    ProcessCpu baseline = new ProcessCpu(args.get("pid"));
    for (int i = 0; i < warmup; i++) {
      toggle(net, host, tcp, lone, 0, null, 0);
    }
    baseline.begin();
    for (int i = 0; i < toggles; i++) {
      toggle(net, host, tcp, lone, 0, null, 0);
    }
    double baseCpu = baseline.serverSeconds();

    System.out.printf("contacts=%d online=%d toggles=%d (events=%d) warmup=%d; measured %.1f s%n", contacts,
        sockets.size(), toggles, events, warmup, seconds);
    System.out.printf("deliveries: %d (every contact got every event)%n", deliveries);
    System.out.printf("server CPU: %.2f s; %.0f µs per presence event, %.2f µs per delivery%n", serverCpu,
        1e6 * serverCpu / events, 1e6 * serverCpu / deliveries);
    System.out.printf("baseline (same toggles, no contacts): %.2f s; %.0f µs per event; presence fan-out alone: "
        + "%.0f µs per event, %.2f µs per delivery%n", baseCpu, 1e6 * baseCpu / events,
        1e6 * (serverCpu - baseCpu) / events, 1e6 * (serverCpu - baseCpu) / deliveries);
    System.out.println("online -> every contact had it: " + summary(onMicros));
    System.out.println("close -> every contact had the offline (includes offlineGraceMs): " + summary(offMicros));
    System.out.print(report);
    vertx.close().await(60, TimeUnit.SECONDS);
    System.exit(0);
  }

  /**
   * Opens the user's session, waits until every contact had the online frame, closes it, waits for the offline
   * frame at every contact; the two waits in µs (from auth.ok, and from the close).
   */
  private long[] toggle(NetClient net, String host, int port, JsonObject user, int contacts, long[] on, int i)
      throws Exception {
    Future<Void> online = expect(contacts);
    NetSocket socket = net.connect(port, host).await(30, TimeUnit.SECONDS);
    Promise<Void> authed = Promise.promise();
    socket.handler(new TcpFraming(1 << 20, frame -> {
      if (frame.toString().contains("\"op\":\"auth.ok\"")) {
        authed.tryComplete();
      }
    }, len -> socket.close()));
    socket.write(Buffer.buffer(TcpFraming.frame(new JsonObject().put("op", "auth").put("token", user.getString("token"))
        .put("device", "web").toBuffer().getBytes())));
    authed.future().await(30, TimeUnit.SECONDS);
    long authedAt = System.nanoTime();
    online.await(60, TimeUnit.SECONDS);
    long onUs = (System.nanoTime() - authedAt) / 1000;
    if (on != null) {
      on[i] = onUs;
    }
    Future<Void> offline = expect(contacts);
    long closedAt = System.nanoTime();
    socket.close().await(30, TimeUnit.SECONDS);
    offline.await(60, TimeUnit.SECONDS);
    return new long[] {onUs, (System.nanoTime() - closedAt) / 1000};
  }

  /** Completes when {@code n} more presence frames have arrived (at once for 0). */
  private Future<Void> expect(int n) {
    Promise<Void> p = Promise.promise();
    synchronized (this) {
      target = received.get() + n;
      reached = p;
      if (received.get() >= target) {
        p.complete();
      }
    }
    return p.future();
  }

  private void counted() {
    if (received.incrementAndGet() >= target) {
      Promise<Void> p = reached;
      if (p != null) {
        p.tryComplete();
      }
    }
  }

  private Future<NetSocket> receiver(NetClient net, String host, int port, String token) {
    return net.connect(port, host).compose(socket -> {
      Promise<NetSocket> ready = Promise.promise();
      socket.handler(new TcpFraming(1 << 20, frame -> {
        if (!ready.future().isComplete()) {
          if (frame.toString().contains("\"op\":\"groups\"")) {
            ready.complete(socket);
          }
          return;
        }
        if (contains(frame.getBytes(), PRESENCE)) {
          counted();
        }
      }, len -> socket.close()));
      socket.write(Buffer.buffer(TcpFraming.frame(new JsonObject().put("op", "auth").put("token", token)
          .put("device", "mobile").toBuffer().getBytes())));
      return ready.future();
    });
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static String summary(long[] micros) {
    long[] all = micros.clone();
    Arrays.sort(all);
    return String.format("n=%d p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms", all.length, all[all.length / 2] / 1000.0,
        all[(int) (all.length * 0.9)] / 1000.0, all[(int) (all.length * 0.99)] / 1000.0,
        all[all.length - 1] / 1000.0);
  }
}

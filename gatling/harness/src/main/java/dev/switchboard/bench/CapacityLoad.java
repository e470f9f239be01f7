package dev.switchboard.bench;

import dev.switchboard.protocol.frame.TcpFraming;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One load process of the {@code Capacity} run: opens {@code count} authenticated idle sessions (tokens
 * {@code offset}.. of a token CSV) from the loopback source address {@code source} to one gateway, over
 * {@code transport=ws|tcp}, {@code concurrency} handshakes at a time; a session counts once the server's
 * {@code groups} frame arrived (it is then registered and subscribed). Prints {@code READY online=N failed=F
 * seconds=S}, keeps every session alive with a ping every 20 s from the start (the server drops a session silent
 * for 90 s) for {@code hold} seconds after that, and exits. A process holds at most the open-files limit of sockets (20,000 here), and
 * one source address reaches one destination port from at most ~28,000 ephemeral ports: a run of 100,000 uses
 * several processes and source addresses 127.0.0.2, 127.0.0.3, ...
 *
 * <p>Room push (only with {@code pushes=K}, 1 to 64; without it nothing of this happens): after {@code READY} the
 * process waits, still holding, for the file {@code pushgo} to exist (the run creates it once it has measured the idle
 * heap), then makes every session join room {@code room} (default {@code capacity}; {@code concurrency} joins at a
 * time, each failing after 60 s without an answer) and prints {@code JOINED joined=J failed=F seconds=S}. It then
 * counts, per session, which of the room messages whose {@code body.n} is 1..K arrived (a {@code room.msgs} frame may
 * batch several; each number counts once per session, a repeat is a duplicate) until every session has all K, or 60 s
 * after the first one arrived, or {@code pushwait} seconds (default 300) after {@code JOINED} when none arrives, and
 * prints {@code PUSHED complete=C of=S missing=M duplicates=D seconds=T}: C of the S online sessions got all K (a
 * session whose join failed counts as missing all K), M numbers missing over all sessions, D duplicates, T seconds
 * from the first message to the end of the count. It keeps holding afterwards, as before.
 *
 * <p>{@code java -cp harness.jar dev.switchboard.bench.CapacityLoad transport=ws host=127.0.0.1 port=8081
 * source=127.0.0.2 tokens=t.csv offset=0 count=17000 hold=300 [pushgo=push-go pushes=5 room=capacity]}
 */
public final class CapacityLoad {
  private CapacityLoad() {
  }

  public static void main(String[] argv) {
    try {
      run(new Args(argv));
    } catch (Throwable t) {
      // Vert.x threads would keep the process alive: a load process that failed must end, so the run sees it.
      t.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(Args args) throws Exception {
    String host = args.str("host", "127.0.0.1");
    String source = args.str("source", "127.0.0.2");
    boolean ws = "ws".equals(args.str("transport", "ws"));
    int port = args.integer("port", ws ? 8081 : 9000);
    int count = args.integer("count", 1000);
    int offset = args.integer("offset", 0);
    int concurrency = args.integer("concurrency", 200);
    List<String> tokens = Files.readAllLines(Path.of(args.required("tokens")));
    int pushes = args.integer("pushes", 0);
    if (pushes < 0 || pushes > 64) {
      throw new IllegalArgumentException("pushes must be 0 to 64");
    }
    Tally tally = pushes > 0 ? new Tally(pushes) : null;
    List<Probe> probes = new ArrayList<>();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
    WebSocketClient wsClient = vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress(source)
        .setMaxConnections(Integer.MAX_VALUE).setConnectTimeout(60_000));
    NetClient tcpClient = vertx.createNetClient(new NetClientOptions().setLocalAddress(source)
        .setConnectTimeout(60_000));
    List<Consumer<Buffer>> online = new ArrayList<>();
    AtomicInteger failed = new AtomicInteger();
    long t0 = System.currentTimeMillis();
    // The heartbeat runs from the start: connecting tens of thousands takes minutes, and the server closes a session
    // silent for 90 s. Sessions online so far are handed over batch by batch.
    java.util.concurrent.ConcurrentLinkedQueue<Consumer<Buffer>> alive = new java.util.concurrent.ConcurrentLinkedQueue<>();
    Buffer ping = new JsonObject().put("op", "ping").toBuffer();
    vertx.setPeriodic(20_000, id -> alive.forEach(s -> s.accept(ping)));
    for (int from = 0; from < count; from += concurrency) {
      List<Future<Consumer<Buffer>>> batch = new ArrayList<>();
      List<Probe> batchProbes = new ArrayList<>();
      for (int i = from; i < Math.min(count, from + concurrency); i++) {
        String token = tokens.get(1 + (offset + i) % (tokens.size() - 1)).trim();
        Probe probe = tally == null ? null : new Probe(tally);
        batchProbes.add(probe);
        batch.add(ws ? webSocket(wsClient, host, port, token, probe) : tcp(tcpClient, host, port, token, probe));
      }
      // Waits for every handshake of the batch; a failed one is counted below, not thrown.
      Future.join(batch).transform(ar -> Future.succeededFuture()).await(180, TimeUnit.SECONDS);
      for (int b = 0; b < batch.size(); b++) {
        Future<Consumer<Buffer>> f = batch.get(b);
        if (f.succeeded()) {
          online.add(f.result());
          alive.add(f.result());
          if (tally != null) {
            probes.add(batchProbes.get(b));
          }
        } else {
          failed.incrementAndGet();
          if (failed.get() <= 5) {
            System.out.println("session failed: " + f.cause());
          }
        }
      }
    }
    System.out.printf("READY online=%d failed=%d seconds=%.1f%n", online.size(), failed.get(),
        (System.currentTimeMillis() - t0) / 1000.0);
    long until = System.currentTimeMillis() + args.integer("hold", 300) * 1000L;
    if (tally != null) {
      roomPush(vertx, args, online, probes, tally, concurrency, until);
    }
    while (System.currentTimeMillis() < until) {
      Promise<Void> tick = Promise.promise();
      vertx.setTimer(Math.min(20_000, Math.max(1, until - System.currentTimeMillis())), id -> tick.complete());
      tick.future().await(30, TimeUnit.SECONDS);
    }
    System.out.println("DONE");
    System.exit(0);
  }

  /**
   * The room push: waits for the {@code pushgo} file (checked off the event loop every 200 ms, at most until
   * {@code until}), joins every online session to the room, then counts what arrives; see the class comment.
   */
  private static void roomPush(Vertx vertx, Args args, List<Consumer<Buffer>> online, List<Probe> probes,
                               Tally tally, int concurrency, long until) throws TimeoutException {
    String go = args.required("pushgo");
    String room = args.str("room", "capacity");
    long firstWait = args.integer("pushwait", 300) * 1000L;
    while (!vertx.fileSystem().exists(go).await(30, TimeUnit.SECONDS)) {
      if (System.currentTimeMillis() >= until) {
        System.out.println("PUSH skipped: no " + go + " before the hold ended");
        return;
      }
      sleep(vertx, 200);
    }
    long t0 = System.currentTimeMillis();
    int joined = 0;
    int failed = 0;
    for (int from = 0; from < online.size(); from += concurrency) {
      List<Future<Void>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(online.size(), from + concurrency); i++) {
        batch.add(probes.get(i).join(vertx, online.get(i), room, i + 1));
      }
      Future.join(batch).transform(ar -> Future.succeededFuture()).await(90, TimeUnit.SECONDS);
      for (Future<Void> f : batch) {
        if (f.succeeded()) {
          joined++;
        } else if (++failed <= 5) {
          System.out.println("join failed: " + f.cause().getMessage());
        }
      }
    }
    long joinedAt = System.currentTimeMillis();
    System.out.printf("JOINED joined=%d failed=%d seconds=%.1f%n", joined, failed, (joinedAt - t0) / 1000.0);
    while (tally.complete.get() < probes.size()) {
      long now = System.currentTimeMillis();
      long first = tally.firstAt.get();
      if (first == 0 ? now - joinedAt >= firstWait : now - first >= 60_000) {
        break;
      }
      sleep(vertx, 200);
    }
    long end = System.currentTimeMillis();
    int complete = 0;
    long missing = 0;
    for (Probe p : probes) {
      int got = Long.bitCount(p.got);
      missing += tally.pushes - got;
      complete += got == tally.pushes ? 1 : 0;
    }
    long first = tally.firstAt.get();
    System.out.printf("PUSHED complete=%d of=%d missing=%d duplicates=%d seconds=%.1f%n", complete, probes.size(),
        missing, tally.duplicates.get(), first == 0 ? 0.0 : (end - first) / 1000.0);
  }

  private static void sleep(Vertx vertx, long ms) throws TimeoutException {
    Promise<Void> tick = Promise.promise();
    vertx.setTimer(ms, id -> tick.complete());
    tick.future().await(ms + 30_000, TimeUnit.MILLISECONDS);
  }

  /** What the sessions of this process received of the room push, over all of them. */
  private static final class Tally {
    final int pushes;
    /** Bits 0..pushes-1 set: a session that got every push. */
    final long all;
    final AtomicInteger complete = new AtomicInteger();
    final AtomicLong duplicates = new AtomicLong();
    /** When the first pushed message arrived at any session (0: none yet). */
    final AtomicLong firstAt = new AtomicLong();

    Tally(int pushes) {
      this.pushes = pushes;
      this.all = pushes == 64 ? -1L : (1L << pushes) - 1;
    }
  }

  /**
   * One session's side of the room push: the answer to its {@code room.join} and the push numbers it got (bit n-1 for
   * {@code n}). Its frames arrive on the process's only event loop, so {@code got} has a single writer.
   */
  private static final class Probe {
    private final Tally tally;
    private volatile Promise<Void> joining;
    private volatile boolean closed;
    private volatile long got;

    Probe(Tally tally) {
      this.tally = tally;
    }

    Future<Void> join(Vertx vertx, Consumer<Buffer> send, String room, int id) {
      if (closed) {
        return Future.failedFuture("closed before room.join");
      }
      Promise<Void> answer = Promise.promise();
      joining = answer;
      long timer = vertx.setTimer(60_000, t -> answer.tryFail("no answer to room.join in 60 s"));
      send.accept(new JsonObject().put("op", "room.join").put("room", room).put("id", id).toBuffer());
      return answer.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    void closed() {
      closed = true;
      Promise<Void> answer = joining;
      if (answer != null) {
        answer.tryFail("closed");
      }
    }

    /** A frame after {@code groups}: the join's {@code ok} / {@code error}, or a {@code room.msgs} to count. */
    void onFrame(String text) {
      Promise<Void> answer = joining;
      if (answer != null && !answer.future().isComplete()) {
        if (text.contains("\"op\":\"ok\"")) {
          answer.tryComplete();
          return;
        } else if (text.contains("\"op\":\"error\"")) {
          answer.tryFail(text);
          return;
        }
      }
      if (!text.contains("\"op\":\"room.msgs\"")) {
        return;
      }
      JsonArray msgs = new JsonObject(text).getJsonArray("msgs");
      if (msgs == null) {
        return;
      }
      tally.firstAt.compareAndSet(0, System.currentTimeMillis());
      for (Object m : msgs) {
        Object body = m instanceof JsonObject msg ? msg.getValue("body") : null;
        if (!(body instanceof JsonObject b) || !(b.getValue("n") instanceof Number number)) {
          continue;
        }
        long n = number.longValue();
        if (n < 1 || n > tally.pushes) {
          continue;
        }
        long bit = 1L << (n - 1);
        if ((got & bit) != 0) {
          tally.duplicates.incrementAndGet();
        } else {
          got |= bit;
          if (got == tally.all) {
            tally.complete.incrementAndGet();
          }
        }
      }
    }
  }

  private static Future<Consumer<Buffer>> webSocket(WebSocketClient client, String host, int port, String token,
                                                    Probe probe) {
    return client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/ws"))
        .compose(socket -> {
          Promise<Consumer<Buffer>> ready = Promise.promise();
          Consumer<Buffer> send = frame -> socket.writeTextMessage(frame.toString());
          socket.textMessageHandler(text -> {
            if (!ready.future().isComplete()) {
              if (text.contains("\"op\":\"groups\"")) {
                ready.complete(send);
              } else if (text.contains("\"op\":\"error\"")) {
                ready.tryFail(text);
              }
            } else if (probe != null) {
              probe.onFrame(text);
            }
          });
          socket.closeHandler(v -> {
            ready.tryFail("closed before online");
            if (probe != null) {
              probe.closed();
            }
          });
          send.accept(auth(token));
          return ready.future();
        });
  }

  private static Future<Consumer<Buffer>> tcp(NetClient client, String host, int port, String token, Probe probe) {
    if (probe == null) {
      return BenchSession.open(client, host, port, token, "mobile", null)
          .map(socket -> frame -> socket.write(Buffer.buffer(TcpFraming.frame(frame.getBytes()))));
    }
    return BenchSession.open(client, host, port, token, "mobile", frame -> probe.onFrame(frame.toString()))
        .map(socket -> {
          // Online: BenchSession's close handler only mattered before; the probe now hears of the close.
          socket.closeHandler(v -> probe.closed());
          return frame -> socket.write(Buffer.buffer(TcpFraming.frame(frame.getBytes())));
        });
  }

  private static Buffer auth(String token) {
    return new JsonObject().put("op", "auth").put("token", token).put("device", "mobile").toBuffer();
  }
}

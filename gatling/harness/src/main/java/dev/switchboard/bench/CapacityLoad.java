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
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>{@code java -cp harness.jar dev.switchboard.bench.CapacityLoad transport=ws host=127.0.0.1 port=8081
 * source=127.0.0.2 tokens=t.csv offset=0 count=17000 hold=300}
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
      for (int i = from; i < Math.min(count, from + concurrency); i++) {
        String token = tokens.get(1 + (offset + i) % (tokens.size() - 1)).trim();
        batch.add(ws ? webSocket(wsClient, host, port, token) : tcp(tcpClient, host, port, token));
      }
      Future.join(batch).await(180, TimeUnit.SECONDS);
      for (Future<Consumer<Buffer>> f : batch) {
        if (f.succeeded()) {
          online.add(f.result());
          alive.add(f.result());
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
    while (System.currentTimeMillis() < until) {
      Promise<Void> tick = Promise.promise();
      vertx.setTimer(Math.min(20_000, Math.max(1, until - System.currentTimeMillis())), id -> tick.complete());
      tick.future().await(30, TimeUnit.SECONDS);
    }
    System.out.println("DONE");
    System.exit(0);
  }

  private static Future<Consumer<Buffer>> webSocket(WebSocketClient client, String host, int port, String token) {
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
            }
          });
          socket.closeHandler(v -> ready.tryFail("closed before online"));
          send.accept(auth(token));
          return ready.future();
        });
  }

  private static Future<Consumer<Buffer>> tcp(NetClient client, String host, int port, String token) {
    return BenchSession.open(client, host, port, token, "mobile", null)
        .map(socket -> frame -> socket.write(Buffer.buffer(TcpFraming.frame(frame.getBytes()))));
  }

  private static Buffer auth(String token) {
    return new JsonObject().put("op", "auth").put("token", token).put("device", "mobile").toBuffer();
  }
}

package dev.switchboard.bench;

import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.frame.TcpFraming;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Opens {@code count} authenticated, idle TCP sessions (each a distinct user), prints {@code READY} once all are
 * online, holds them for {@code hold} seconds (pinging every {@code ping} seconds so the server keeps them), then
 * closes them and exits. Used by {@code scripts/bench.sh idle} to measure the server's heap per idle connection.
 */
public final class IdleConnections {
  private IdleConnections() {
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (String a : argv) {
      args.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    String host = args.getOrDefault("host", "127.0.0.1");
    int count = Integer.parseInt(args.getOrDefault("count", "10000"));
    int hold = Integer.parseInt(args.getOrDefault("hold", "60"));
    String password = args.getOrDefault("password", "bench-password");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    ApiClient api = new ApiClient(vertx, host, Integer.parseInt(args.getOrDefault("api", "8080")));
    NetClient net = vertx.createNetClient();
    int port = Integer.parseInt(args.getOrDefault("tcp", "9000"));
    String run = "idle" + UUID.randomUUID().toString().substring(0, 6);
    List<NetSocket> sockets = new ArrayList<>();
    byte[] ping = TcpFraming.frame(new JsonObject().put("op", "ping").toBuffer().getBytes());
    for (int from = 0; from < count; from += 200) {
      List<Future<NetSocket>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(count, from + 200); i++) {
        String user = run + "u" + i;
        batch.add(api.register(user, password).compose(uid -> api.login(user, password, "mobile"))
            .compose(session -> net.connect(port, host).compose(socket -> {
              Promise<NetSocket> online = Promise.promise();
              socket.handler(new TcpFraming(1 << 20, frame -> {
                if (frame.toString().contains("\"op\":\"groups\"")) {
                  online.tryComplete(socket);
                }
              }, len -> socket.close()));
              socket.write(Buffer.buffer(TcpFraming.frame(new JsonObject().put("op", "auth")
                  .put("token", session.getString("token")).put("device", "mobile").toBuffer().getBytes())));
              return online.future();
            })));
      }
      Future.all(batch).await(120, TimeUnit.SECONDS);
      batch.forEach(f -> sockets.add(f.result()));
    }
    System.out.println("READY " + sockets.size());
    long until = System.currentTimeMillis() + hold * 1000L;
    while (System.currentTimeMillis() < until) {
      Promise<Void> tick = Promise.promise();
      vertx.setTimer(20_000, id -> tick.complete());
      tick.future().await(30, TimeUnit.SECONDS);
      sockets.forEach(s -> s.write(Buffer.buffer(ping)));
    }
    vertx.close().await(60, TimeUnit.SECONDS);
    System.exit(0);
  }
}

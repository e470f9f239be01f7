package switchboard.bare;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The bare baseline: a minimal Vert.x 5 WebSocket + TCP server speaking just enough of protocol v1 for the same load
 * tools to drive it — no token check (the uid is read from the token unverified), no storage, no event bus, no
 * acks-after-commit. {@code auth} → {@code auth.ok}, {@code ping} → {@code pong}, {@code msg.send} → {@code msg.ack}
 * and a {@code msg} to the sockets of {@code to} (an in-memory map: the least routing a relay can do),
 * {@code room.join} → {@code ok}; {@code POST /api/v1/push/rooms/<room>} writes one {@code room.msgs} frame per push
 * to every socket in the room (no batching). Stock options throughout: this is what Vert.x costs before our code.
 *
 * <p>{@code java -cp <gatling test classpath> switchboard.bare.BareServer ws=8081 tcp=9000 http=8080 instances=2}
 */
public final class BareServer extends VerticleBase {
  private static final Map<Long, Set<Consumer<Buffer>>> USERS = new ConcurrentHashMap<>();
  private static final Map<String, Set<Consumer<Buffer>>> ROOMS = new ConcurrentHashMap<>();
  private static final AtomicLong MIDS = new AtomicLong(1_000_000_000_000L);
  private final JsonObject conf;

  private BareServer(JsonObject conf) {
    this.conf = conf;
  }

  public static void main(String[] argv) {
    JsonObject conf = new JsonObject();
    for (String a : argv) {
      conf.put(a.substring(0, a.indexOf('=')), Integer.parseInt(a.substring(a.indexOf('=') + 1)));
    }
    int instances = conf.getInteger("instances", 2);
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(instances));
    vertx.deployVerticle(() -> new BareServer(conf), new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("bare server started (native transport: "
            + vertx.isNativeTransportEnabled() + ")"))
        .onFailure(t -> {
          t.printStackTrace();
          System.exit(1);
        });
  }

  @Override
  public Future<?> start() {
    Future<?> ws = vertx.createHttpServer().webSocketHandler(this::webSocket).listen(conf.getInteger("ws", 8081));
    Future<?> tcp = vertx.createNetServer().connectHandler(this::tcp).listen(conf.getInteger("tcp", 9000));
    Future<?> http = vertx.createHttpServer().requestHandler(req -> {
      if (req.method() == HttpMethod.POST && req.path().startsWith("/api/v1/push/rooms/")) {
        String room = req.path().substring("/api/v1/push/rooms/".length());
        req.body().onSuccess(body -> {
          JsonObject push = body.toJsonObject();
          Buffer frame = new JsonObject().put("op", "room.msgs").put("room", room)
              .put("msgs", new io.vertx.core.json.JsonArray().add(new JsonObject().put("type", "push")
                  .put("body", push.getValue("body")))).toBuffer();
          Set<Consumer<Buffer>> members = ROOMS.getOrDefault(room, Set.of());
          members.forEach(m -> m.accept(frame));
          req.response().putHeader("content-type", "application/json")
              .end(new JsonObject().put("sessions", members.size()).encode());
        });
      } else {
        req.response().end("{\"status\":\"ready\"}");
      }
    }).listen(conf.getInteger("http", 8080));
    return Future.all(ws, tcp, http);
  }

  private void webSocket(ServerWebSocket ws) {
    Consumer<Buffer> out = frame -> ws.writeTextMessage(frame.toString(StandardCharsets.UTF_8));
    Session s = new Session(out);
    ws.textMessageHandler(text -> s.onFrame(new JsonObject(text)));
    ws.closeHandler(v -> s.close());
  }

  private void tcp(NetSocket socket) {
    Consumer<Buffer> out = frame -> socket.write(Buffer.buffer(4 + frame.length()).appendInt(frame.length())
        .appendBuffer(frame));
    Session s = new Session(out);
    RecordParser parser = RecordParser.newFixed(4);
    parser.handler(new Handler<>() {
      private int length = -1;

      @Override
      public void handle(Buffer b) {
        if (length < 0) {
          length = b.getInt(0);
          if (length <= 0 || length > 65_536) {
            socket.close();
            return;
          }
          parser.fixedSizeMode(length);
        } else {
          s.onFrame(b.toJsonObject());
          length = -1;
          parser.fixedSizeMode(4);
        }
      }
    });
    socket.handler(parser);
    socket.closeHandler(v -> s.close());
  }

  /** One connection's state: its uid once authenticated and the rooms it joined. */
  private static final class Session {
    private final Consumer<Buffer> out;
    private long uid;
    private Set<String> rooms = Set.of();

    Session(Consumer<Buffer> out) {
      this.out = out;
    }

    void onFrame(JsonObject f) {
      Object id = f.getValue("id");
      switch (f.getString("op", "")) {
        case "auth" -> {
          uid = uidOf(f.getString("token", ""));
          USERS.computeIfAbsent(uid, k -> ConcurrentHashMap.newKeySet()).add(out);
          out.accept(reply("auth.ok", id).put("uid", uid).toBuffer());
          out.accept(new JsonObject().put("op", "groups").put("groups", new JsonObject()).toBuffer());
        }
        case "ping" -> out.accept(reply("pong", id).toBuffer());
        case "msg.send" -> {
          String mid = Long.toString(MIDS.incrementAndGet());
          out.accept(reply("msg.ack", id).put("cid", f.getString("cid")).put("mid", mid).toBuffer());
          Buffer msg = new JsonObject().put("op", "msg").put("mid", mid).put("cid", f.getString("cid"))
              .put("from", uid).put("to", f.getLong("to")).put("type", f.getString("type"))
              .put("body", f.getValue("body")).toBuffer();
          USERS.getOrDefault(f.getLong("to", 0L), Set.of()).forEach(peer -> peer.accept(msg));
        }
        case "room.join" -> {
          String room = f.getString("room");
          ROOMS.computeIfAbsent(room, k -> ConcurrentHashMap.newKeySet()).add(out);
          if (rooms.isEmpty()) {
            rooms = ConcurrentHashMap.newKeySet();
          }
          rooms.add(room);
          out.accept(reply("ok", id).toBuffer());
        }
        default -> out.accept(reply("error", id).put("code", "unknown_op").toBuffer());
      }
    }

    void close() {
      Set<Consumer<Buffer>> mine = USERS.get(uid);
      if (mine != null) {
        mine.remove(out);
      }
      rooms.forEach(r -> ROOMS.getOrDefault(r, Set.of()).remove(out));
    }

    private static JsonObject reply(String op, Object id) {
      JsonObject r = new JsonObject().put("op", op);
      return id == null ? r : r.put("id", id);
    }

    /** The {@code sub} claim of a JWT, read without checking the signature (this server trusts everyone). */
    private static long uidOf(String token) {
      String[] parts = token.split("\\.");
      if (parts.length < 2) {
        return 0;
      }
      JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      return Long.parseLong(claims.getValue("sub").toString());
    }
  }
}

package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.protocol.frame.TcpFraming;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The TCP event-bus bridge with real sockets speaking Vert.x's bridge frames: a bot service answers users; wrong
 * credentials, frames before the credential, addresses outside the allow-lists and oversized frames are refused.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class BridgeIT {
  static final String SECRET = "echo-service-secret-0123456789";

  /** A raw bridge client: frames out, frames in (queued until asked for), the close. */
  static final class BridgeClient {
    private final NetSocket socket;
    private final ArrayDeque<JsonObject> queue = new ArrayDeque<>();
    private final List<Waiter> waiters = new ArrayList<>();
    final Promise<Void> closed = Promise.promise();

    private record Waiter(Predicate<JsonObject> match, Promise<JsonObject> promise) {
    }

    private BridgeClient(NetSocket socket) {
      this.socket = socket;
      socket.handler(new TcpFraming(1 << 20, b -> received(b.toJsonObject()), n -> socket.close()));
      socket.closeHandler(v -> closed.tryComplete());
    }

    static BridgeClient connect(Vertx vertx, int port) throws Exception {
      Promise<BridgeClient> p = Promise.promise();
      vertx.getOrCreateContext().runOnContext(v -> vertx.createNetClient().connect(port, "127.0.0.1")
          .map(BridgeClient::new).onComplete(p));
      return await(p.future());
    }

    private synchronized void received(JsonObject frame) {
      for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
        Waiter w = it.next();
        if (w.match.test(frame)) {
          it.remove();
          w.promise.complete(frame);
          return;
        }
      }
      queue.add(frame);
    }

    synchronized Future<JsonObject> next(Predicate<JsonObject> match) {
      for (Iterator<JsonObject> it = queue.iterator(); it.hasNext(); ) {
        JsonObject f = it.next();
        if (match.test(f)) {
          it.remove();
          return Future.succeededFuture(f);
        }
      }
      Promise<JsonObject> p = Promise.promise();
      waiters.add(new Waiter(match, p));
      return p.future();
    }

    Future<JsonObject> next(String type) {
      return next(f -> type.equals(f.getString("type")));
    }

    BridgeClient send(JsonObject frame) {
      socket.write(Buffer.buffer(TcpFraming.frame(frame.toBuffer().getBytes())));
      return this;
    }

    /** A {@code send} with a reply address; completes with the reply frame (a {@code message} or an {@code err}). */
    Future<JsonObject> request(String address, Object body) {
      String reply = "r-" + UUID.randomUUID();
      Future<JsonObject> f = next(m -> reply.equals(m.getString("address")));
      send(new JsonObject().put("type", "send").put("address", address).put("replyAddress", reply).put("body", body));
      return f;
    }

    void writeRaw(Buffer bytes) {
      socket.write(bytes);
    }
  }

  static JsonObject bridgeConfig(String bot) {
    return new JsonObject().put("maxFrameBytes", 8192).put("authTimeoutMs", 2000).put("services", new JsonArray()
        .add(new JsonObject().put("name", "echo").put("secret", SECRET).put("bot", bot))
        .add(new JsonObject().put("name", "analytics").put("secret", SECRET + "-analytics")
            .put("outbound", new JsonArray().add("im.analytics.*"))));
  }

  static long createBot(TestNode node, String name) throws Exception {
    var created = node.service(HttpMethod.POST, "/api/v1/bots", new JsonObject().put("username", name));
    assertEquals(201, created.status(), created.body().encode());
    return created.body().getLong("uid");
  }

  /** Records the bridge's log lines, to check that refusals are logged. */
  static final class LogLines extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("dev.switchboard.bridge.BridgeConnection");
    final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());

    LogLines() {
      logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
      lines.add(r.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
      logger.removeHandler(this);
    }

    boolean any(String part) {
      synchronized (lines) {
        return lines.stream().anyMatch(l -> l.contains(part));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aBotServiceAnswersAUserThroughTheBridge(Backend backend, Vertx vertx) throws Exception {
    String botName = "echo" + UUID.randomUUID().toString().substring(0, 8);
    try (TestNode node = TestNode.startWith(vertx, backend, new JsonObject().put("bridge", bridgeConfig(botName)))) {
      long botUid = createBot(node, botName);
      BridgeClient bot = BridgeClient.connect(vertx, node.bridgePort());
      JsonObject hello = await(bot.request("im.bridge.auth", new JsonObject().put("service", "echo")
          .put("secret", SECRET)));
      assertEquals("message", hello.getString("type"), hello.encode());
      assertEquals(botUid, hello.getJsonObject("body").getLong("uid"));
      assertEquals("im.bot." + botName, hello.getJsonObject("body").getString("address"));
      bot.send(new JsonObject().put("type", "register").put("address", "im.bot." + botName));
      // Registration is not acknowledged by the bridge protocol: a ping after it comes back once it is done.
      bot.send(new JsonObject().put("type", "ping"));
      await(bot.next("pong"));

      JsonObject alice = node.login(node.newUser(), "web");
      ImClient aliceWs = node.online("ws", alice);
      JsonObject ack = await(aliceWs.request(new JsonObject().put("op", "msg.send").put("cid", "q1")
          .put("to", botUid).put("type", "text").put("body", "ping bot")));
      assertEquals("msg.ack", ack.getString("op"), ack.encode());
      JsonObject delivered = await(bot.next(f -> "message".equals(f.getString("type"))
          && ("im.bot." + botName).equals(f.getString("address"))));
      JsonObject msg = delivered.getJsonObject("body");
      assertEquals("msg", msg.getString("op"));
      assertEquals(ack.getString("mid"), msg.getString("mid"));
      assertEquals(alice.getLong("uid"), msg.getLong("from"));

      // The bot answers as itself, whatever "from" it claims.
      JsonObject reply = await(bot.request("im.router.send", new JsonObject().put("cid", "a-" + msg.getString("mid"))
          .put("to", msg.getLong("from")).put("from", 1).put("type", "text").put("body", "echo: ping bot")));
      assertEquals("message", reply.getString("type"), reply.encode());
      assertNotNull(reply.getJsonObject("body").getString("mid"));
      JsonObject answer = await(aliceWs.next("msg"));
      assertEquals(botUid, answer.getLong("from"));
      assertEquals("echo: ping bot", answer.getString("body"));

      // A send the router refuses comes back as the reply's failure, not as silence.
      JsonObject bad = await(bot.request("im.router.send", new JsonObject().put("cid", "x").put("to", -1)
          .put("type", "text").put("body", "nope")));
      assertEquals("err", bad.getString("type"), bad.encode());
      assertTrue(bad.getString("message").startsWith("invalid_field"), bad.encode());
    }
  }

  @Test
  void wrongCredentialsAndFramesBeforeTheCredentialAreRefusedAndClosed(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, Backend.EMBEDDED, new JsonObject().put("bridge", bridgeConfig("nobot")));
         LogLines log = new LogLines()) {
      BridgeClient wrong = BridgeClient.connect(vertx, node.bridgePort());
      wrong.send(new JsonObject().put("type", "send").put("address", "im.bridge.auth")
          .put("body", new JsonObject().put("service", "echo").put("secret", SECRET + "x")));
      assertEquals("auth_failed", await(wrong.next("err")).getString("message"));
      await(wrong.closed.future());

      BridgeClient early = BridgeClient.connect(vertx, node.bridgePort());
      early.send(new JsonObject().put("type", "register").put("address", "im.bot.nobot"));
      assertEquals("not_authenticated", await(early.next("err")).getString("message"));
      await(early.closed.future());

      BridgeClient silent = BridgeClient.connect(vertx, node.bridgePort());
      assertEquals("auth_timeout", await(silent.next("err")).getString("message"));
      await(silent.closed.future());
      assertTrue(log.any("auth_failed") && log.any("not_authenticated") && log.any("auth_timeout"), log.lines.toString());

      // A service whose bot does not exist is refused too (the bot must be created through the API first).
      BridgeClient noBot = BridgeClient.connect(vertx, node.bridgePort());
      noBot.send(new JsonObject().put("type", "send").put("address", "im.bridge.auth").put("replyAddress", "r1")
          .put("body", new JsonObject().put("service", "echo").put("secret", SECRET)));
      assertEquals("auth_failed", await(noBot.next("err")).getString("message"));
      await(noBot.closed.future());
      assertTrue(log.any("no bot named 'nobot'"), log.lines.toString());
    }
  }

  @Test
  void addressesOutsideTheAllowListsAreRefusedLoggedAndTheConnectionStays(Vertx vertx) throws Exception {
    String botName = "guard" + UUID.randomUUID().toString().substring(0, 8);
    try (TestNode node = TestNode.startWith(vertx, Backend.EMBEDDED, new JsonObject().put("bridge", bridgeConfig(botName)));
         LogLines log = new LogLines()) {
      createBot(node, botName);
      JsonObject alice = node.login(node.newUser(), "web");
      BridgeClient bot = BridgeClient.connect(vertx, node.bridgePort());
      await(bot.request("im.bridge.auth", new JsonObject().put("service", "echo").put("secret", SECRET)));
      for (JsonObject refused : List.of(
          new JsonObject().put("type", "register").put("address", "im.user." + alice.getLong("uid")),
          new JsonObject().put("type", "register").put("address", "im.bot.someone-else"),
          new JsonObject().put("type", "send").put("address", "im.api.call").put("body", new JsonObject()),
          new JsonObject().put("type", "publish").put("address", "im.broadcast").put("body", new JsonObject()))) {
        bot.send(refused);
        assertEquals("access_denied", await(bot.next("err")).getString("message"), refused.encode());
        assertTrue(log.any("refused " + refused.getString("type") + " on '" + refused.getString("address") + "'"),
            log.lines.toString());
      }
      bot.send(new JsonObject().put("type", "ping"));
      await(bot.next("pong"));

      // A service without a bot may consume what its list allows, but never sends as a user.
      BridgeClient analytics = BridgeClient.connect(vertx, node.bridgePort());
      await(analytics.request("im.bridge.auth", new JsonObject().put("service", "analytics")
          .put("secret", SECRET + "-analytics")));
      analytics.send(new JsonObject().put("type", "register").put("address", "im.analytics.events"));
      analytics.send(new JsonObject().put("type", "ping"));
      await(analytics.next("pong"));
      vertx.eventBus().publish("im.analytics.events", new JsonObject().put("n", 1));
      assertEquals(1, await(analytics.next("message")).getJsonObject("body").getInteger("n"));
      analytics.send(new JsonObject().put("type", "send").put("address", "im.router.send")
          .put("body", new JsonObject()));
      assertEquals("access_denied", await(analytics.next("err")).getString("message"));
    }
  }

  @Test
  void aFrameOverTheCapIsRefusedFromItsHeaderAndTheConnectionClosed(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, Backend.EMBEDDED, new JsonObject().put("bridge", bridgeConfig("nobot")))) {
      BridgeClient client = BridgeClient.connect(vertx, node.bridgePort());
      // A header claiming 1 GiB, then a little of it: the bridge answers from the header alone, buffering nothing.
      client.writeRaw(Buffer.buffer().appendInt(1 << 30).appendString("{\"type\":\"send\""));
      assertEquals("frame_too_large", await(client.next("err")).getString("message"));
      await(client.closed.future());

      BridgeClient atCap = BridgeClient.connect(vertx, node.bridgePort());
      StringBuilder big = new StringBuilder();
      while (big.length() < 8192) {
        big.append("x");
      }
      atCap.send(new JsonObject().put("type", "send").put("address", "im.bridge.auth")
          .put("body", new JsonObject().put("pad", big.toString())));
      assertEquals("frame_too_large", await(atCap.next("err")).getString("message"));
      await(atCap.closed.future());
    }
  }

  @Test
  void envelopeFieldsOfTheWrongTypeAreRefusedAsBadFramesAndClosed(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, Backend.EMBEDDED, new JsonObject().put("bridge", bridgeConfig("nobot")))) {
      // Each of these once threw a ClassCastException out of the frame handler: no answer, the connection left open.
      for (String frame : List.of("{\"type\":1,\"address\":\"im.bridge.auth\"}",
          "{\"type\":\"send\",\"address\":[\"im.bridge.auth\"]}",
          "{\"type\":\"send\",\"address\":\"im.bridge.auth\",\"replyAddress\":5,\"body\":{}}",
          "{\"type\":\"send\",\"address\":\"im.bridge.auth\",\"headers\":\"h\",\"body\":{}}")) {
        BridgeClient client = BridgeClient.connect(vertx, node.bridgePort());
        client.writeRaw(Buffer.buffer(TcpFraming.frame(frame.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertEquals("bad_frame", await(client.next("err")).getString("message"), frame);
        await(client.closed.future());
      }
      // A credential whose service is not a string is a wrong credential.
      BridgeClient client = BridgeClient.connect(vertx, node.bridgePort());
      client.send(new JsonObject().put("type", "send").put("address", "im.bridge.auth")
          .put("body", new JsonObject().put("service", 7).put("secret", SECRET)));
      assertEquals("auth_failed", await(client.next("err")).getString("message"));
      await(client.closed.future());
    }
  }
}

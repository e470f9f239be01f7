package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway over real sockets on a whole embedded node: auth, timers, multi-device, bad input. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class GatewayIT {

  private static JsonObject auth(JsonObject session) {
    return new JsonObject().put("op", "auth").put("token", session.getString("token"))
        .put("device", session.getString("device"));
  }

  /**
   * True when nothing consumes the user's address any more (a point-to-point send finds no handler). The probe is a
   * control message of a kind sessions ignore, so a live session neither shows nor answers it.
   */
  private static boolean noConsumer(Vertx vertx, long uid) throws Exception {
    try {
      await(vertx.eventBus().request(Addresses.user(uid), Buffer.buffer(),
          new DeliveryOptions().setSendTimeout(500).addHeader(BusHeaders.CTL, "probe")));
      return false;
    } catch (ReplyException e) {
      return e.failureType() == ReplyFailure.NO_HANDLERS;
    }
  }

  private static boolean noConsumerQuietly(Vertx vertx, long uid) {
    try {
      return noConsumer(vertx, uid);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void authenticatesOverTcpAndWebSocketFrameAndUrl(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED)) {
      String alice = node.newUser();
      JsonObject web = node.login(alice, "web");
      JsonObject ok = await(node.tcp().request(auth(web)));
      assertEquals("auth.ok", ok.getString("op"));
      assertEquals(web.getLong("uid"), ok.getLong("uid"));
      assertEquals("web", ok.getString("device"));

      JsonObject mobile = node.login(alice, "mobile");
      assertEquals("auth.ok", await(node.ws("/ws").request(auth(mobile))).getString("op"));

      JsonObject desktop = node.login(alice, "desktop");
      ImClient viaUrl = node.ws("/ws?token=" + desktop.getString("token") + "&device=desktop");
      JsonObject urlOk = await(viaUrl.next("auth.ok"));
      assertEquals(desktop.getLong("uid"), urlOk.getLong("uid"));
      assertNull(urlOk.getValue("id"));
    }
  }

  @Test
  void rejectsBadTokensAndClosesWithAuthFailed(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED)) {
      ImClient ws = node.ws("/ws");
      JsonObject err = await(ws.request(new JsonObject().put("op", "auth").put("token", "not.a.jwt")
          .put("device", "web")));
      assertEquals("error", err.getString("op"));
      assertEquals("auth_failed", err.getString("code"));
      ImClient.Closed closed = await(ws.closed());
      assertEquals((short) 4002, closed.status());
      assertEquals("auth_failed", closed.reason());

      // A token signed with another secret is refused too.
      String forged = node.login(node.newUser(), "web").getString("token");
      forged = forged.substring(0, forged.lastIndexOf('.') + 1) + "AAAA";
      ImClient tcp = node.tcp();
      assertEquals("auth_failed", await(tcp.request(new JsonObject().put("op", "auth").put("token", forged)
          .put("device", "web"))).getString("code"));
      await(tcp.closed());
    }
  }

  @Test
  void beforeAuthOnlyPingAndAuthAreServedAndSilenceTimesOut(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED, new JsonObject().put("authTimeoutMs", 400))) {
      ImClient ws = node.ws("/ws");
      assertEquals("pong", await(ws.request(new JsonObject().put("op", "ping"))).getString("op"));
      JsonObject err = await(ws.request(new JsonObject().put("op", "msg.send").put("cid", "c").put("to", 1)
          .put("type", "text").put("body", "hi")));
      assertEquals("not_authenticated", err.getString("code"));
      ImClient.Closed closed = await(ws.closed());
      assertEquals((short) 4001, closed.status());
      assertEquals("auth_timeout", closed.reason());

      ImClient tcp = node.tcp();
      await(tcp.closed());
    }
  }

  @Test
  void sameDeviceKindKicksTheOlderSessionOthersStay(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED)) {
      String alice = node.newUser();
      JsonObject web = node.login(alice, "web");
      ImClient firstWeb = node.online("tcp", web);
      ImClient phone = node.online("ws", node.login(alice, "mobile"));
      ImClient secondWeb = node.online("ws", node.login(alice, "web"));

      JsonObject kicked = await(firstWeb.next("kicked"));
      assertEquals("same_device", kicked.getString("reason"));
      await(firstWeb.closed());

      // The phone and the new web session both still receive messages.
      JsonObject bob = node.login(node.newUser(), "web");
      ImClient bobWs = node.online("ws", bob);
      JsonObject ack = await(bobWs.request(new JsonObject().put("op", "msg.send").put("cid", "k1")
          .put("to", web.getLong("uid"))
          .put("type", "text").put("body", "still there?")));
      assertEquals("msg.ack", ack.getString("op"));
      assertEquals(ack.getString("mid"), await(phone.next("msg")).getString("mid"));
      assertEquals(ack.getString("mid"), await(secondWeb.next("msg")).getString("mid"));
    }
  }

  @Test
  void silentConnectionIsClosedAndItsRegistrationFreed(Vertx vertx) throws Exception {
    JsonObject fast = new JsonObject().put("heartbeatMs", 150).put("heartbeatMisses", 3);
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED, fast)) {
      JsonObject session = node.login(node.newUser(), "web");
      long uid = session.getLong("uid");
      ImClient ws = node.online("ws", session);
      assertTrue(!noConsumer(vertx, uid), "online: the user's address has a consumer");
      ImClient.Closed closed = await(ws.closed());
      assertEquals((short) 4003, closed.status());
      assertEquals("idle_timeout", closed.reason());
      assertTrue(noConsumer(vertx, uid), "closed: nothing listens on the user's address");

      ImClient tcp = node.online("tcp", node.login(node.newUser(), "web"));
      await(tcp.closed());
    }
  }

  @Test
  void pingsKeepAConnectionAlivePastTheIdleTimeout(Vertx vertx) throws Exception {
    JsonObject fast = new JsonObject().put("heartbeatMs", 200).put("heartbeatMisses", 3);
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED, fast)) {
      ImClient ws = node.online("ws", node.login(node.newUser(), "web"));
      // A client pinging every 100 ms for three idle timeouts (3 × 600 ms): each ping is answered, nothing closes.
      for (int i = 0; i < 18; i++) {
        assertEquals("pong", await(ws.request(new JsonObject().put("op", "ping"))).getString("op"));
        io.vertx.core.Promise<Void> tick = io.vertx.core.Promise.promise();
        vertx.setTimer(100, id -> tick.complete());
        await(tick.future());
      }
      assertTrue(!ws.closed().isComplete(), "still open");
    }
  }

  @Test
  void badFramesGetErrorsWhileOthersKeepChatting(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED, new JsonObject().put("maxFrameBytes", 2048))) {
      JsonObject a = node.login(node.newUser(), "web");
      JsonObject b = node.login(node.newUser(), "web");
      ImClient alice = node.online("ws", a);
      ImClient bob = node.online("tcp", b);
      ImClient mallory = node.online("ws", node.login(node.newUser(), "web"));

      mallory.sendRaw(Buffer.buffer("{\"op\": \"ping\", oops"));
      assertEquals("bad_frame", await(mallory.next("error")).getString("code"));
      mallory.sendRaw(Buffer.buffer("{\"op\":\"ping\",\"pad\":\"" + "x".repeat(3000) + "\"}"));
      assertEquals("frame_too_large", await(mallory.next("error")).getString("code"));
      JsonObject unknown = await(mallory.request(new JsonObject().put("op", "dance")));
      assertEquals("unknown_op", unknown.getString("code"));
      JsonObject noCid = await(mallory.request(new JsonObject().put("op", "msg.send").put("to", b.getLong("uid"))
          .put("type", "text").put("body", "x")));
      assertEquals("invalid_field", noCid.getString("code"));
      assertTrue(noCid.getString("message").contains("cid"), noCid.getString("message"));
      JsonObject badTo = await(mallory.request(new JsonObject().put("op", "msg.send").put("cid", "1")
          .put("to", "bob").put("type", "text").put("body", "x")));
      assertEquals("invalid_field", badTo.getString("code"));
      assertNotEquals(null, badTo.getValue("id"));
      JsonObject again = await(mallory.request(auth(a)));
      assertEquals("already_authenticated", again.getString("code"));
      assertEquals("pong", await(mallory.request(new JsonObject().put("op", "ping"))).getString("op"),
          "the sender of bad frames is still served");

      JsonObject ack = await(alice.request(new JsonObject().put("op", "msg.send").put("cid", "x1")
          .put("to", b.getLong("uid")).put("type", "text").put("body", "hello bob")));
      assertEquals("hello bob", await(bob.next("msg")).getString("body"));
      assertEquals("msg.ack", ack.getString("op"));
    }
  }

  @Test
  void tcpHeaderOverTheLimitClosesWithoutBuffering(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED, new JsonObject().put("maxFrameBytes", 2048))) {
      io.vertx.core.net.NetSocket raw = await(vertx.createNetClient().connect(
          node.gateway().getInteger("tcpPort"), "127.0.0.1"));
      Buffer received = Buffer.buffer();
      io.vertx.core.Promise<Void> closed = io.vertx.core.Promise.promise();
      raw.handler(received::appendBuffer);
      raw.closeHandler(v -> closed.complete());
      raw.write(Buffer.buffer().appendInt(1 << 30));
      await(closed.future());
      JsonObject err = received.getBuffer(4, received.length()).toJsonObject();
      assertEquals(received.length() - 4, received.getInt(0));
      assertEquals("frame_too_large", err.getString("code"));
    }
  }

  @Test
  void aReaderThatStopsReadingIsDisconnectedNotBuffered(Vertx vertx) throws Exception {
    JsonObject settings = new JsonObject()
        .put("gateway", new JsonObject().put("writeQueueBytes", 64 * 1024))
        .put("router", new JsonObject().put("sendRate", 100_000).put("sendBurst", 100_000));
    try (TestNode node = TestNode.startWith(vertx, Backend.EMBEDDED, settings)) {
      JsonObject victim = node.login(node.newUser(), "web");
      // A plain blocking socket with a small receive buffer: after auth.ok the test never reads from it again.
      java.net.Socket raw = new java.net.Socket();
      raw.setReceiveBufferSize(16 * 1024);
      raw.connect(new java.net.InetSocketAddress("127.0.0.1", node.gateway().getInteger("tcpPort")));
      raw.getOutputStream().write(dev.switchboard.protocol.frame.TcpFraming.frame(auth(victim).toBuffer().getBytes()));
      java.io.DataInputStream in = new java.io.DataInputStream(raw.getInputStream());
      byte[] ok = new byte[in.readInt()];
      in.readFully(ok);
      assertEquals("auth.ok", new JsonObject(Buffer.buffer(ok)).getString("op"));
      long victimUid = victim.getLong("uid");
      java.util.function.BooleanSupplier victimClosed = () -> noConsumerQuietly(vertx, victimUid);

      ImClient sender = node.online("ws", node.login(node.newUser(), "web"));
      String body = "x".repeat(15_000);
      int sent = 0;
      while (sent < 3_000 && (sent % 50 != 0 || !victimClosed.getAsBoolean())) {
        // Acks pace the sender, so the server is never asked to hold more than one message per round trip.
        await(sender.request(new JsonObject().put("op", "msg.send").put("cid", "s" + sent)
            .put("to", victim.getLong("uid")).put("type", "text").put("body", body)));
        sent++;
      }
      assertTrue(sent < 3_000, "dropped after " + sent + " messages of 15 kB");
      raw.close();
      assertEquals("pong", await(sender.request(new JsonObject().put("op", "ping"))).getString("op"),
          "everyone else is still served");
    }
  }
}

package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The walking skeleton end to end on both backends: register, log in, WebSocket ⇄ TCP through the router. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class MessagingIT {

  private static JsonObject send(String cid, long to, Object body) {
    return new JsonObject().put("op", "msg.send").put("cid", cid).put("to", to).put("type", "text").put("body", body);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void webSocketAndTcpClientsExchangeMessagesBothWays(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject a = node.login(node.newUser(), "web");
      JsonObject b = node.login(node.newUser(), "mobile");
      ImClient alice = node.online("ws", a);
      ImClient bob = node.online("tcp", b);

      JsonObject ack = await(alice.request(send("a-1", b.getLong("uid"), "hi bob")));
      assertEquals("msg.ack", ack.getString("op"));
      assertEquals("a-1", ack.getString("cid"));
      assertTrue(Long.parseLong(ack.getString("mid")) > 0 && ack.getLong("ts") > 0);
      JsonObject got = await(bob.next("msg"));
      assertEquals(ack.getString("mid"), got.getString("mid"));
      assertEquals(a.getLong("uid"), got.getLong("from"));
      assertEquals(b.getLong("uid"), got.getLong("to"));
      assertEquals("hi bob", got.getString("body"));
      assertEquals("text", got.getString("type"));
      assertEquals(ack.getLong("ts"), got.getLong("ts"));

      JsonObject card = new JsonObject().put("url", "https://example.org/cat.png").put("w", 640);
      JsonObject back = await(bob.request(send("b-1", a.getLong("uid"), card)));
      JsonObject reply = await(alice.next("msg"));
      assertEquals(back.getString("mid"), reply.getString("mid"));
      assertEquals(card, reply.getJsonObject("body"));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void everyDeviceOfTheRecipientAndTheSendersOtherDevicesReceive(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      String aliceName = node.newUser();
      String bobName = node.newUser();
      JsonObject aWeb = node.login(aliceName, "web");
      ImClient aliceWeb = node.online("ws", aWeb);
      ImClient alicePhone = node.online("tcp", node.login(aliceName, "mobile"));
      JsonObject bWeb = node.login(bobName, "web");
      ImClient bobWeb = node.online("ws", bWeb);
      ImClient bobPad = node.online("tcp", node.login(bobName, "pad"));

      String mid = await(aliceWeb.request(send("m1", bWeb.getLong("uid"), "to all of you"))).getString("mid");
      assertEquals(mid, await(bobWeb.next("msg")).getString("mid"));
      assertEquals(mid, await(bobPad.next("msg")).getString("mid"));
      assertEquals(mid, await(alicePhone.next("msg")).getString("mid"), "the sender's other device syncs the send");

      // The sending device got its ack and not a copy of its own message.
      String next = await(aliceWeb.request(send("m2", bWeb.getLong("uid"), "second"))).getString("mid");
      assertEquals(next, await(bobWeb.next("msg")).getString("mid"));
      await(aliceWeb.request(new JsonObject().put("op", "ping")));
      assertFalse(aliceWeb.next("msg").isComplete(), "no echo to the sending device");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void oversizedBodyIsRefusedWithItsCode(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject a = node.login(node.newUser(), "web");
      ImClient alice = node.online("ws", a);
      JsonObject err = await(alice.request(send("big", a.getLong("uid"), "x".repeat(17 * 1024))));
      assertEquals("error", err.getString("op"));
      assertEquals("body_too_large", err.getString("code"));
    }
  }
}

package dev.switchboard.gateway;

import static dev.switchboard.gateway.TestGateway.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.protocol.contract.Ack;
import dev.switchboard.protocol.contract.GroupSendRequest;
import dev.switchboard.protocol.contract.KickSession;
import dev.switchboard.protocol.contract.RecvRequest;
import dev.switchboard.protocol.contract.SendReply;
import dev.switchboard.protocol.contract.SendRequest;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.shared.store.StateKeys;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gateway verticle alone, over real TCP and WebSocket sockets, with the router, group and API verticles played by
 * consumers on the event bus that answer with the typed contracts. Tests that touch shared state (presence, rate
 * budgets, room flags) run on both backends: the in-process store and Redis.
 */
@ExtendWith(VertxExtension.class)
class GatewayVerticleIT {
  private static JsonObject op(String op) {
    return new JsonObject().put("op", op);
  }

  private static void assertError(String code, JsonObject frame) {
    assertEquals("error", frame.getString("op"), frame.encode());
    assertEquals(code, frame.getString("code"), frame.encode());
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void authenticatesOverTcpAndWebSocketAndRefusesWhatItMust(Backend backend, Vertx vertx) throws Exception {
    try (TestGateway gw = new TestGateway(vertx, backend, new JsonObject())) {
      gw.groups = Map.of(5L, 9L);
      ImClient tcp = gw.tcp();
      JsonObject badDevice = await(tcp.request(op("auth").put("token", gw.token(7)).put("device", "Not A Device")));
      assertError("invalid_field", badDevice);
      JsonObject ok = gw.login(tcp, 7, "desktop");
      assertEquals("auth.ok", ok.getString("op"), "the connection stayed open and unauthenticated: " + ok);
      assertEquals(7L, ok.getLong("uid"));
      assertEquals("desktop", ok.getString("device"));
      String session = ok.getString("session");
      assertNotNull(session);
      assertEquals(new JsonObject().put("5", 9), await(tcp.next("groups")).getJsonObject("groups"));
      // The session is announced in shared state, for the API's device lists.
      TestGateway.until(() -> gw.state.hgetall(StateKeys.presence(7)).map(all -> all.containsKey(session)));

      ImClient ws = gw.webSocket("token=" + gw.token(8) + "&device=web");
      JsonObject wsOk = await(ws.next("auth.ok"));
      assertEquals(8L, wsOk.getLong("uid"));
      assertEquals("web", wsOk.getString("device"));

      ImClient forged = gw.tcp();
      assertError("auth_failed", await(forged.request(op("auth").put("token", "not.a.token").put("device", "web"))));
      assertNotNull(await(forged.closed()), "a failed auth closes the connection");
    }
  }

  @Test
  void aSendIsAskedOfTheRouterOrGroupAndAckedFromTheTypedReply(Vertx vertx) throws Exception {
    try (TestGateway gw = new TestGateway(vertx, Backend.EMBEDDED, new JsonObject())) {
      List<SendRequest> direct = gw.answer(Addresses.ROUTER_SEND,
          (SendRequest r) -> new SendReply(9_007_199_254_740_993L, 41, 1_700_000_000_000L, 0, false));
      List<GroupSendRequest> group = gw.answer(Addresses.GROUP_SEND,
          (GroupSendRequest r) -> new SendReply(12L, 3, 1_700_000_000_001L, r.group(), false));
      ImClient ws = gw.webSocket("");
      String session = gw.login(ws, 7, "web").getString("session");

      JsonObject ack = await(ws.request(op("msg.send").put("cid", "c-1").put("to", 8).put("type", "text")
          .put("body", new JsonObject().put("text", "hi"))));
      assertEquals(Set.of("op", "id", "cid", "mid", "seq", "ts"), ack.fieldNames(), ack.encode());
      assertEquals("msg.ack", ack.getString("op"));
      assertEquals("c-1", ack.getString("cid"));
      assertEquals("9007199254740993", ack.getString("mid"), "mid is a string: it does not fit a JS number");
      assertEquals(41L, ack.getLong("seq"));
      assertEquals(1_700_000_000_000L, ack.getLong("ts"));
      SendRequest asked = direct.get(0);
      assertEquals(List.of(7L, 8L, "c-1", "text", session, false),
          List.of(asked.from(), asked.to(), asked.cid(), asked.msgType(), asked.session(), asked.push()));
      assertEquals("{\"text\":\"hi\"}", new String(asked.body(), StandardCharsets.UTF_8), "the body as it was sent");

      JsonObject groupAck = await(ws.request(op("msg.send").put("cid", "c-2").put("group", 12).put("type", "text")
          .put("body", "hello")));
      assertEquals(Set.of("op", "id", "cid", "mid", "seq", "ts", "group"), groupAck.fieldNames(), groupAck.encode());
      assertEquals(12L, groupAck.getLong("group"));
      assertEquals(12L, group.get(0).group());

      assertError("invalid_field", await(ws.request(op("msg.send").put("cid", "c-3").put("to", 8).put("group", 12)
          .put("type", "text").put("body", "both"))));
      assertEquals(List.of(1, 1), List.of(direct.size(), group.size()), "a refused frame asks no one");
    }
  }

  @Test
  void framesOnTheUsersAddressReachEverySessionButTheSkippedOneAndControlsAct(Vertx vertx) throws Exception {
    try (TestGateway gw = new TestGateway(vertx, Backend.EMBEDDED, new JsonObject())) {
      ImClient desktop = gw.tcp();
      String desktopSession = gw.login(desktop, 7, "desktop").getString("session");
      ImClient web = gw.webSocket("");
      String webSession = gw.login(web, 7, "web").getString("session");

      vertx.eventBus().publish(Addresses.user(7), OutFrame.of(op("msg").put("n", 1)),
          new DeliveryOptions().addHeader(BusHeaders.SKIP, desktopSession));
      vertx.eventBus().publish(Addresses.user(7), OutFrame.of(op("msg").put("n", 2)));
      assertEquals(1, await(web.next("msg")).getInteger("n"));
      assertEquals(2, await(web.next("msg")).getInteger("n"));
      assertEquals(2, await(desktop.next("msg")).getInteger("n"), "the frame that skipped this session never came");

      vertx.eventBus().publish(Addresses.user(7), new KickSession(webSession, desktopSession, "removed"));
      JsonObject kicked = await(web.next("kicked"));
      assertEquals("removed", kicked.getString("reason"));
      assertEquals(desktopSession, kicked.getString("by"));
      assertEquals("kicked", await(web.closed()).reason());
      assertEquals("pong", await(desktop.request(op("ping"))).getString("op"), "the other session is not affected");
    }
  }

  @Test
  void anUnknownOpIsAnsweredUnknownOpBeforeAndAfterAuthAndOpsOutOfTurnAreRefused(Vertx vertx) throws Exception {
    try (TestGateway gw = new TestGateway(vertx, Backend.EMBEDDED, new JsonObject())) {
      ImClient c = gw.tcp();
      JsonObject unknown = await(c.request(op("no.such.op")));
      assertError("unknown_op", unknown);
      assertEquals("unknown op 'no.such.op'", unknown.getString("message"));
      assertNotNull(unknown.getValue("id"), "the error echoes the request id");
      assertError("not_authenticated", await(c.request(op("msg.recv").put("upTo", 1))));
      assertError("not_authenticated", await(c.request(op("auth.refresh").put("token", gw.token(7)))));
      assertEquals("pong", await(c.request(op("ping"))).getString("op"), "ping needs no session");

      gw.login(c, 7, "web");
      assertError("already_authenticated", await(c.request(op("auth").put("token", gw.token(7)).put("device", "web"))));
      assertError("unknown_op", await(c.request(op("no.such.op"))));
      JsonObject refreshed = await(c.request(op("auth.refresh").put("token", gw.token(7))));
      assertEquals("auth.refresh.ok", refreshed.getString("op"), refreshed.encode());
      assertError("auth_failed", await(c.request(op("auth.refresh").put("token", gw.token(8)))));
      assertEquals("pong", await(c.request(op("ping"))).getString("op"), "every error left the connection open");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aRoomMemberGetsPushesBatchedAndMaySendWhereAllowed(Backend backend, Vertx vertx) throws Exception {
    // A batch leaves when it holds two messages, long before its window ends: the test sees whole batches.
    JsonObject rooms = new JsonObject().put("batchMs", 60_000).put("batchMax", 2).put("membersMaySend", true);
    try (TestGateway gw = new TestGateway(vertx, backend, new JsonObject().put("rooms", rooms))) {
      ImClient c = gw.tcp();
      gw.login(c, 7, "web");
      JsonObject joined = await(c.request(op("room.join").put("room", "match-42")));
      assertEquals("ok", joined.getString("op"));
      assertEquals("match-42", joined.getString("room"));

      vertx.eventBus().publish(Addresses.room("match-42"), MessageJson.roomMessage(null, "score", "{\"home\":1}"));
      vertx.eventBus().publish(Addresses.room("match-42"), MessageJson.roomMessage(null, "score", "{\"home\":2}"));
      JsonObject batch = await(c.next("room.msgs"));
      assertEquals("match-42", batch.getString("room"));
      JsonArray msgs = batch.getJsonArray("msgs");
      assertEquals(2, msgs.size(), batch.encode());
      assertEquals(1, msgs.getJsonObject(0).getJsonObject("body").getInteger("home"));
      assertEquals(2, msgs.getJsonObject(1).getJsonObject("body").getInteger("home"));

      assertError("not_member", await(c.request(op("room.send").put("room", "elsewhere").put("body", "x"))));
      assertError("invalid_field", await(c.request(op("room.join").put("room", "no spaces"))));
      assertEquals("ok", await(c.request(op("room.send").put("room", "match-42").put("body", "goal"))).getString("op"));
      assertEquals("ok", await(c.request(op("room.send").put("room", "match-42").put("body", "!"))).getString("op"));
      JsonArray own = await(c.next("room.msgs")).getJsonArray("msgs");
      assertEquals(List.of(7L, 7L), List.of(own.getJsonObject(0).getLong("from"), own.getJsonObject(1).getLong("from")));
      assertEquals("goal", own.getJsonObject(0).getString("body"));
      assertEquals("ok", await(c.request(op("room.leave").put("room", "match-42"))).getString("op"));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void anOpOverTheUsersBudgetFailsRateLimitedAndAsksNoOne(Backend backend, Vertx vertx) throws Exception {
    JsonObject limits = new JsonObject().put("recv", new JsonObject().put("perSecond", 0.01).put("burst", 2));
    try (TestGateway gw = new TestGateway(vertx, backend, new JsonObject().put("opLimits", limits))) {
      List<RecvRequest> asked = gw.answer(Addresses.ROUTER_RECV, (RecvRequest r) -> new Ack());
      ImClient c = gw.webSocket("");
      gw.login(c, 7, "web");
      assertEquals("ok", await(c.request(op("msg.recv").put("upTo", 5))).getString("op"));
      assertEquals("ok", await(c.request(op("msg.recv").put("upTo", 6))).getString("op"));
      JsonObject limited = await(c.request(op("msg.recv").put("upTo", 7)));
      assertError("rate_limited", limited);
      assertTrue(limited.getLong("retryAfterMs") > 0, limited.encode());
      assertEquals(List.of(new RecvRequest(7, "web", 5), new RecvRequest(7, "web", 6)), asked);
    }
  }
}

package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.gateway.GatewayVerticle;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.protocol.frame.proto.ProtoCodec;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The protobuf codec, negotiated per connection: JSON and protobuf clients, over WebSocket and TCP, in one
 * conversation; each receives every frame in its own codec.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class ProtobufIT {
  private static final JsonObject FAST = new JsonObject()
      .put("router", new JsonObject().put("sendRate", 100_000).put("sendBurst", 100_000))
      .put("group", new JsonObject().put("sendRate", 100_000).put("sendBurst", 100_000));

  private record Member(String name, JsonObject session, ImClient client, boolean proto) {
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void jsonAndProtobufClientsShareOneGroupAndOneToOneChats(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, FAST)) {
      String[][] kinds = {{"json-ws", "ws", "json"}, {"proto-ws", "ws", "protobuf"},
          {"proto-tcp", "tcp", "protobuf"}, {"json-tcp", "tcp", "json"}};
      List<JsonObject> sessions = new ArrayList<>();
      for (int i = 0; i < kinds.length; i++) {
        sessions.add(node.login(node.newUser(), "web"));
      }
      long gid = GroupIT.createGroup(node, sessions.get(0), sessions.stream().skip(1)
          .mapToLong(s -> s.getLong("uid")).toArray());
      Map<String, Member> members = new LinkedHashMap<>();
      for (int i = 0; i < kinds.length; i++) {
        boolean proto = kinds[i][2].equals("protobuf");
        ImClient c = proto ? node.onlineProto(kinds[i][1], sessions.get(i)) : node.online(kinds[i][1], sessions.get(i));
        // The groups frame says the session is subscribed to its groups (and shows it decodes in either codec).
        assertTrue(await(c.next("groups")).getJsonObject("groups").containsKey(Long.toString(gid)), kinds[i][0]);
        members.put(kinds[i][0], new Member(kinds[i][0], sessions.get(i), c, proto));
      }
      List<Member> all = new ArrayList<>(members.values());
      // Every member sends one message with a body of another JSON shape; every other member gets all of them.
      Object[] bodies = {"plain text ✓", new JsonObject().put("url", "https://x/y.png").put("w", 640)
          .put("tags", new JsonArray().add("a").add(true)), 42, new JsonArray().add(1).add("two")};
      Map<String, JsonObject> acks = new LinkedHashMap<>();
      for (int i = 0; i < all.size(); i++) {
        Member sender = all.get(i);
        JsonObject ack = await(sender.client().request(GroupIT.groupSend("c" + i, gid, bodies[i])));
        assertEquals("msg.ack", ack.getString("op"), ack.encode());
        acks.put(sender.name(), ack);
        for (Member receiver : all) {
          if (receiver != sender) {
            JsonObject msg = await(GroupIT.nextGroupMsg(receiver.client(), gid));
            assertEquals(ack.getString("mid"), msg.getString("mid"), receiver.name() + " from " + sender.name());
            assertEquals(bodies[i], msg.getValue("body"), receiver.name() + " from " + sender.name());
            assertEquals(sender.session().getLong("uid"), msg.getLong("from"));
          }
        }
      }
      // One-to-one across codecs, both ways.
      Member a = members.get("json-ws");
      Member b = members.get("proto-tcp");
      JsonObject toB = await(a.client().request(new JsonObject().put("op", "msg.send").put("cid", "d1")
          .put("to", b.session().getLong("uid")).put("type", "text").put("body", "hi proto")));
      JsonObject atB = await(b.client().next(f -> "msg".equals(f.getString("op")) && f.getLong("group") == null));
      assertEquals(toB.getString("mid"), atB.getString("mid"));
      assertEquals("hi proto", atB.getString("body"));
      JsonObject toA = await(b.client().request(new JsonObject().put("op", "msg.send").put("cid", "d2")
          .put("to", a.session().getLong("uid")).put("type", "text").put("body", new JsonObject().put("k", "v"))));
      JsonObject atA = await(a.client().next(f -> "msg".equals(f.getString("op")) && f.getLong("group") == null));
      assertEquals(toA.getString("mid"), atA.getString("mid"));
      assertEquals(new JsonObject().put("k", "v"), atA.getJsonObject("body"));
      // Sync returns the same history whatever the codec.
      JsonObject pageProto = await(b.client().request(new JsonObject().put("op", "sync").put("group", gid)));
      JsonObject pageJson = await(a.client().request(new JsonObject().put("op", "sync").put("group", gid)));
      assertEquals(pageJson.getJsonArray("msgs"), pageProto.getJsonArray("msgs"));
      for (Member m : all) {
        if (m.proto()) {
          assertEquals(0, m.client().textFrames(), m.name() + " got a text frame");
          assertTrue(m.client().binaryFrames() > 5, m.name() + " got binary frames");
        }
      }
    }
  }

  @Test
  void badInputOnAProtobufConnectionGetsAProtobufErrorAndTheConnectionStays(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED)) {
      JsonObject session = node.login(node.newUser(), "web");
      for (String transport : List.of("ws", "tcp")) {
        ImClient c = node.onlineProto(transport, session.copy().put("device", transport));
        c.sendRaw(Buffer.buffer(new byte[] {(byte) 0xff, (byte) 0xff, 0x01}));
        JsonObject error = await(c.next("error"));
        assertEquals("bad_frame", error.getString("code"), transport + ": " + error.encode());
        assertEquals("pong", await(c.request(new JsonObject().put("op", "ping"))).getString("op"), transport);
        assertEquals(0, c.textFrames());
      }
    }
  }

  @Test
  void theSubprotocolPicksProtobufToo(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED)) {
      WebSocketClient client = vertx.createWebSocketClient();
      var ws = await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
          .setPort(node.gateway().getInteger("wsPort")).setURI("/ws")
          .addSubProtocol(GatewayVerticle.SUBPROTOCOL_PROTOBUF)));
      assertEquals(GatewayVerticle.SUBPROTOCOL_PROTOBUF, ws.subProtocol());
      Promise<Buffer> reply = Promise.promise();
      ws.binaryMessageHandler(reply::tryComplete);
      ws.textMessageHandler(t -> reply.tryFail("a text frame: " + t));
      ws.writeBinaryMessage(Buffer.buffer(ProtoCodec.encode(new JsonObject().put("op", "ping").put("id", 7))));
      assertEquals(new JsonObject().put("op", "pong").put("id", 7), ProtoCodec.decode(await(reply.future())));
      await(ws.close());
      await(client.close());
    }
  }
}

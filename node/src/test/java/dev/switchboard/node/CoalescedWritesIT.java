package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Write coalescing over real sockets: with a write window, frames for one connection wait and leave together (on TCP
 * as one write of their views back to back); each transport and codec gets every frame intact and in order — replies
 * to the session's own requests, and messages from another session, of very different sizes.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
@Isolated
class CoalescedWritesIT {
  private static final JsonObject WINDOWED = new JsonObject()
      .put("gateway", new JsonObject().put("writeWindowMs", 100))
      .put("router", new JsonObject().put("sendRate", 100_000).put("sendBurst", 100_000));

  private static ImClient client(TestNode node, String kind, JsonObject session) throws Exception {
    String transport = kind.endsWith("tcp") ? "tcp" : "ws";
    return kind.startsWith("proto") ? node.onlineProto(transport, session) : node.online(transport, session);
  }

  private static Object body(int i) {
    // Every fifth body is about 12 KB (under the 16 KiB body limit): a batch mixes frames far apart in size.
    return i % 5 == 0 ? "big-" + i + "-" + "x✓".repeat(3_000) : "small-" + i + " ✓";
  }

  @ParameterizedTest
  @ValueSource(strings = {"json-tcp", "proto-tcp", "json-ws", "proto-ws"})
  void framesWrittenTogetherArriveIntactAndInOrder(String kind, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, Backend.EMBEDDED, WINDOWED)) {
      JsonObject bobSession = node.login(node.newUser(), "web");
      ImClient bob = client(node, kind, bobSession);
      ImClient alice = node.online("ws", node.login(node.newUser(), "web"));

      // Replies to the session's own requests: sent back to back, answered within one window, in request order.
      int pings = 30;
      for (int i = 0; i < pings; i++) {
        bob.send(new JsonObject().put("op", "ping").put("id", "p" + i));
      }
      for (int i = 0; i < pings; i++) {
        assertEquals("p" + i, await(bob.next("pong")).getValue("id"), kind);
      }

      // Messages from another session, sent without waiting for acks: several land in each window.
      int count = 40;
      List<Future<JsonObject>> acks = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        acks.add(alice.request(DeliveryIT.send("c" + i, bobSession.getLong("uid"), body(i))));
      }
      for (Future<JsonObject> ack : acks) {
        JsonObject reply = await(ack);
        assertEquals("msg.ack", reply.getString("op"), reply.encode());
      }
      long previousSeq = -1;
      for (int i = 0; i < count; i++) {
        JsonObject msg = await(bob.next("msg"));
        assertEquals(body(i), msg.getValue("body"), kind + ": message " + i);
        if (previousSeq >= 0) {
          assertEquals(previousSeq + 1, msg.getLong("seq"), kind + ": seq of message " + i);
        }
        previousSeq = msg.getLong("seq");
      }
      // Still in step afterwards: the next reply is the one asked for.
      assertEquals("pong", await(bob.request(new JsonObject().put("op", "ping"))).getString("op"));
    }
  }
}

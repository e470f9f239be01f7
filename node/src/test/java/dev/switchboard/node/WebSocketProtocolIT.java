package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** WebSocket details of RFC 6455 and exact JSON numbers, seen from a client that writes the bytes itself. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class WebSocketProtocolIT {

  private static int wsPort(TestNode node) {
    return node.gateway().getInteger("wsPort");
  }

  @Test
  void invalidUtf8InATextMessageClosesWith1007(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED)) {
      try (RawWebSocket ws = new RawWebSocket(wsPort(node), "/ws")) {
        // Valid multi-byte UTF-8 split across two fragments in the middle of a character is one valid message.
        byte[] ok = "{\"op\":\"ping\",\"id\":\"é€\"}".getBytes(StandardCharsets.UTF_8);
        int cut = "{\"op\":\"ping\",\"id\":\"".length() + 1;
        ws.send(RawWebSocket.TEXT, false, Arrays.copyOfRange(ok, 0, cut));
        ws.send(RawWebSocket.CONTINUATION, true, Arrays.copyOfRange(ok, cut, ok.length));
        JsonObject pong = new JsonObject(ws.readText());
        assertEquals("pong", pong.getString("op"));
        assertEquals("é€", pong.getString("id"));

        byte[] bad = "{\"op\":\"ping\",\"id\":\"xx\"}".getBytes(StandardCharsets.US_ASCII);
        bad[19] = (byte) 0xC3;
        bad[20] = (byte) 0x28;
        ws.send(RawWebSocket.TEXT, true, bad);
        assertEquals(1007, ws.readUntilClose());
      }
    }
  }

  @Test
  void oversizedMessagesGetAnErrorAndOverFourTimesTheLimitClose1009(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED, new JsonObject().put("maxFrameBytes", 1024))) {
      byte[] kb = new byte[1000];
      Arrays.fill(kb, (byte) ' ');
      try (RawWebSocket ws = new RawWebSocket(wsPort(node), "/ws")) {
        // Over the limit but under 4×: an error frame, and the connection serves the next frame.
        ws.send(RawWebSocket.TEXT, false, kb);
        ws.send(RawWebSocket.CONTINUATION, true, kb);
        assertEquals("frame_too_large", new JsonObject(ws.readText()).getString("code"));
        ws.sendText("{\"op\":\"ping\",\"id\":1}");
        assertEquals("pong", new JsonObject(ws.readText()).getString("op"));

        // Fragments adding up to more than 4× the limit: closed with 1009 before the message ends.
        for (int i = 0; i < 5; i++) {
          ws.send(i == 0 ? RawWebSocket.TEXT : RawWebSocket.CONTINUATION, false, kb);
        }
        assertEquals(1009, ws.readUntilClose());
      }
      try (RawWebSocket ws = new RawWebSocket(wsPort(node), "/ws")) {
        ws.send(RawWebSocket.BINARY, true, new byte[5000]);
        assertEquals(1009, ws.readUntilClose());
      }
    }
  }

  @Test
  void framesCutAnywhereOrManyInOneWriteAreReadInOrder(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED, new JsonObject().put("maxFrameBytes", 1024))) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (int id = 1; id <= 3; id++) {
        all.writeBytes(RawWebSocket.frame(RawWebSocket.TEXT, true, ping(id)));
      }
      // A message in three fragments with a client ping between them.
      byte[] four = ping(4);
      all.writeBytes(RawWebSocket.frame(RawWebSocket.TEXT, false, Arrays.copyOfRange(four, 0, 5)));
      all.writeBytes(RawWebSocket.frame(RawWebSocket.PING, true, "hi".getBytes(StandardCharsets.US_ASCII)));
      all.writeBytes(RawWebSocket.frame(RawWebSocket.CONTINUATION, false, Arrays.copyOfRange(four, 5, 9)));
      all.writeBytes(RawWebSocket.frame(RawWebSocket.CONTINUATION, true, Arrays.copyOfRange(four, 9, four.length)));
      // A 16-bit length; then a message over the limit (not kept: skipped as it comes); then one more.
      String longId = "x".repeat(300);
      all.writeBytes(RawWebSocket.frame(RawWebSocket.TEXT, true,
          ("{\"op\":\"ping\",\"id\":\"" + longId + "\"}").getBytes(StandardCharsets.UTF_8)));
      byte[] kb = new byte[1000];
      Arrays.fill(kb, (byte) ' ');
      all.writeBytes(RawWebSocket.frame(RawWebSocket.TEXT, false, kb));
      all.writeBytes(RawWebSocket.frame(RawWebSocket.CONTINUATION, true, kb));
      all.writeBytes(RawWebSocket.frame(RawWebSocket.TEXT, true, ping(6)));
      byte[] bytes = all.toByteArray();
      for (int chunk : new int[] {1, 7, bytes.length}) {
        try (RawWebSocket ws = new RawWebSocket(wsPort(node), "/ws")) {
          ws.sendBytes(bytes, chunk);
          // The answers to messages in their order; the pong to the client's ping leaves at once, so it may pass
          // answers still waiting for the end of the event-loop turn.
          List<JsonObject> answers = new ArrayList<>();
          boolean ponged = false;
          while (answers.size() < 7) {
            RawWebSocket.Frame f = ws.read();
            if (f.opcode() == RawWebSocket.PONG) {
              assertEquals("hi", new String(f.payload(), StandardCharsets.US_ASCII));
              ponged = true;
            } else {
              assertEquals(RawWebSocket.TEXT, f.opcode(), "chunk " + chunk);
              answers.add(new JsonObject(f.text()));
            }
          }
          assertTrue(ponged, "chunk " + chunk);
          for (int id = 1; id <= 4; id++) {
            assertEquals(id, answers.get(id - 1).getInteger("id"), "chunk " + chunk);
          }
          assertEquals(longId, answers.get(4).getString("id"));
          assertEquals("frame_too_large", answers.get(5).getString("code"));
          assertEquals(6, answers.get(6).getInteger("id"));
        }
      }
    }
  }

  private static byte[] ping(int id) {
    return ("{\"op\":\"ping\",\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void closeFramesAndLengthsThatBreakTheProtocolFailTheConnection(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED)) {
      byte[][] bad = {
          RawWebSocket.frame(RawWebSocket.CLOSE, true, new byte[] {3}),
          RawWebSocket.frame(RawWebSocket.CLOSE, true, new byte[] {0x03, (byte) 0xED}),
          RawWebSocket.frame(RawWebSocket.PING, false, new byte[0]),
          RawWebSocket.frame(RawWebSocket.CONTINUATION, true, ping(1)),
          // 126 announces a 16-bit length, here 5: not the shortest form.
          {(byte) 0x81, (byte) 0xFE, 0, 5, 0, 0, 0, 0, 1, 2, 3, 4, 5},
      };
      String[] why = {"a one-byte close body", "status 1005 may not be sent", "a fragmented ping",
          "a continuation without a message", "a length not in its shortest form"};
      for (int i = 0; i < bad.length; i++) {
        try (RawWebSocket ws = new RawWebSocket(wsPort(node), "/ws")) {
          ws.sendBytes(bad[i], bad[i].length);
          assertEquals(1002, ws.readUntilClose(), why[i]);
          assertTrue(ws.endsNow(), "then the socket closes: " + why[i]);
        }
      }
      try (RawWebSocket ws = new RawWebSocket(wsPort(node), "/ws")) {
        ws.send(RawWebSocket.CLOSE, true, new byte[] {0x03, (byte) 0xE8, (byte) 0xC3, 0x28});
        assertEquals(1007, ws.readUntilClose(), "a close reason that is not UTF-8");
      }
    }
  }

  @Test
  void integersOutOfRangeAndNonFiniteIdsAreRefused(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED)) {
      ImClient ws = node.online("ws", node.login(node.newUser(), "web"));
      for (String peer : new String[] {"1e400", "9223372036854775808", "18446744073709551617", "1.5", "-1e400"}) {
        ws.sendRaw(Buffer.buffer("{\"op\":\"msg.read\",\"id\":\"r\",\"peer\":" + peer + ",\"upTo\":1}"));
        JsonObject err = await(ws.next("error"));
        assertEquals("invalid_field", err.getString("code"), peer);
        assertEquals("r", err.getString("id"));
      }

      // The same through the API, over the long connection: no clamping to 2^63-1.
      ws.sendRaw(Buffer.buffer("{\"op\":\"api\",\"id\":\"a\",\"method\":\"POST\",\"path\":\"/api/v1/contacts/requests\","
          + "\"body\":{\"uid\":1e400}}"));
      JsonObject result = await(ws.next("api.result"));
      assertEquals(400, result.getInteger("status"));
      assertEquals("invalid_field", result.getJsonObject("body").getString("code"));

      // An id that cannot come back as the same JSON number is refused, not echoed as "Infinity".
      ws.sendRaw(Buffer.buffer("{\"op\":\"ping\",\"id\":1e999}"));
      JsonObject bad = await(ws.next("error"));
      assertEquals("invalid_field", bad.getString("code"));
      assertNull(bad.getValue("id"));
      assertFalse(bad.encode().contains("Infinity"));

      // A large but finite numeric id round-trips.
      ws.sendRaw(Buffer.buffer("{\"op\":\"ping\",\"id\":123456789012345678901234567890}"));
      JsonObject pong = await(ws.next("pong"));
      assertEquals("123456789012345678901234567890", pong.getValue("id").toString());
    }
  }
}

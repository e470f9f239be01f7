package dev.switchboard.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBytesTest {
  @Test
  void splicedMessageEqualsTheTreeBuiltOne() {
    JsonObject body = new JsonObject().put("text", "héllo \"quoted\" \u2028 😀").put("n", 3);
    String cid = "c-\"1\"\\é";
    byte[] spliced = MessageJson.messageBytes(123456789012345L, cid, 7, 8, 42, 1_700_000_000_000L, "text",
        body.toBuffer().getBytes(), false);
    JsonObject tree = MessageJson.message(123456789012345L, cid, 7, 8, 42, 1_700_000_000_000L, "text", body, false);
    assertEquals(tree, Buffer.buffer(spliced).toJsonObject());
  }

  @Test
  void recalledGroupMessageHasANullBodyAndTheFlag() {
    byte[] spliced = MessageJson.groupMessageBytes(5, "c", 7, 9, 3, 10, "text", null, true);
    assertEquals(MessageJson.groupMessage(5, "c", 7, 9, 3, 10, "text", null, true),
        new JsonObject(new String(spliced, StandardCharsets.UTF_8)));
  }

  @Test
  void idsKeepTheirJsonType() {
    assertEquals("{\"op\":\"msg.ack\",\"id\":17}", new String(new JsonBytes(8).string("op", "msg.ack").id(17)
        .close(), StandardCharsets.UTF_8));
    assertEquals("{\"id\":\"a\\\"b\"}", new String(new JsonBytes(8).id("a\"b").close(), StandardCharsets.UTF_8));
    assertEquals("{}", new String(new JsonBytes(8).id(null).close(), StandardCharsets.UTF_8));
  }
}

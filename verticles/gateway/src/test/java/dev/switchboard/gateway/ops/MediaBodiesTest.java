package dev.switchboard.gateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Messages of type image, file and voice name an upload; other types are the clients' own business. */
class MediaBodiesTest {
  private static final String ID = "0123456789abcdef0123456789abcdef";

  @Test
  void fileTypesNeedAMediaId() {
    for (String type : new String[] {"image", "file", "voice"}) {
      MediaBodies.check(type, json("{\"media\":\"" + ID + "\",\"caption\":\"hi\",\"seconds\":3}"));
      for (String bad : new String[] {"\"" + ID + "\"", "{}", "{\"media\":5}", "{\"media\":\"" + ID.toUpperCase()
          + "\"}", "{\"media\":\"../etc\"}", "[\"" + ID + "\"]", "{\"url\":\"https://example.org/x.png\"}"}) {
        ImException e = assertThrows(ImException.class, () -> MediaBodies.check(type, json(bad)), type + " " + bad);
        assertEquals(ErrorCode.INVALID_FIELD, e.code());
        assertTrue(e.getMessage().contains("'body.media'"), e.getMessage());
      }
    }
  }

  @Test
  void otherTypesAreNotLookedAt() {
    MediaBodies.check("text", json("\"hello\""));
    MediaBodies.check("card", json("{\"url\":\"https://example.org/cat.png\"}"));
    MediaBodies.check("Image", json("\"case matters: not a file type\""));
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

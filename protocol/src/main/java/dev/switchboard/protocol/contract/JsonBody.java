package dev.switchboard.protocol.contract;

import java.nio.charset.StandardCharsets;

/**
 * The wire form shared by replies that carry an HTTP API response body as JSON bytes ({@link GroupCommandReply},
 * {@link ConversationsReply}): the bytes in field 1, unknown fields skipped.
 */
final class JsonBody {
  private JsonBody() {
  }

  static byte[] read(ContractReader r) {
    byte[] json = null;
    for (int f; (f = r.next()) != 0; ) {
      if (f == 1) {
        json = r.readBytes();
      } else {
        r.skip();
      }
    }
    return json;
  }

  static String text(String record, byte[] json) {
    return record + "[" + (json == null ? null : new String(json, StandardCharsets.UTF_8)) + "]";
  }
}

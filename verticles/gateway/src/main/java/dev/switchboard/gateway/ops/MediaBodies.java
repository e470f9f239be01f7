package dev.switchboard.gateway.ops;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The body rule of messages that carry a file: a {@code msg.send} of type {@code image}, {@code file} or
 * {@code voice} has an object body whose {@code media} is the id of an upload ({@code POST /api/v1/media}: 32
 * lower-case hex digits); other fields (a caption, a duration) are the clients' own. Anything else is
 * {@code invalid_field} naming {@code body.media}. Reading the file stays governed by the upload's own conversation,
 * so naming an id in a message grants nobody access to it.
 */
final class MediaBodies {
  static final Set<String> TYPES = Set.of("image", "file", "voice");

  private MediaBodies() {
  }

  /** Throws {@code invalid_field} when {@code type} carries a file and {@code body} (JSON) does not name one. */
  static void check(String type, byte[] body) {
    if (!TYPES.contains(type)) {
      return;
    }
    Object tree = Json.decodeValue(Buffer.buffer(body));
    if (!(tree instanceof JsonObject o) || !(o.getValue("media") instanceof String id) || !id.matches("[0-9a-f]{32}")) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'body.media' must be a media id (32 hex digits) for a "
          + "message of type '" + type + "'");
    }
  }
}

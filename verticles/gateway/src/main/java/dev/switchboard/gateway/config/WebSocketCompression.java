package dev.switchboard.gateway.config;

import io.vertx.core.json.JsonObject;

/**
 * permessage-deflate (RFC 7692) on the gateway's WebSockets ({@code gateway.compression}); off unless enabled. A
 * compressing connection costs about 2.5 KB more heap and ~100-300 KB of native zlib memory once it has sent and
 * received a message (docs/websocket-transport.md): for small chat frames it rarely pays.
 *
 * @param enabled         negotiate permessage-deflate with clients that offer it
 * @param level           zlib level 0-9 (6: zlib's default)
 * @param serverNoContext accept a client's {@code server_no_context_takeover}: the server's compressor is reset after
 *                        every message (less memory held between messages, a worse ratio)
 */
public record WebSocketCompression(boolean enabled, int level, boolean serverNoContext) {
  public static final WebSocketCompression OFF = new WebSocketCompression(false, 6, false);

  public static WebSocketCompression from(JsonObject j) {
    if (j == null) {
      return OFF;
    }
    int level = j.getInteger("level", 6);
    if (level < 0 || level > 9) {
      throw new IllegalArgumentException("gateway.compression.level must be between 0 and 9");
    }
    return new WebSocketCompression(j.getBoolean("enabled", false), level, j.getBoolean("serverNoContext", true));
  }
}

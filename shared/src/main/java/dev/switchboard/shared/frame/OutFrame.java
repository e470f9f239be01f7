package dev.switchboard.shared.frame;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * An outbound frame encoded once: the UTF-8 JSON bytes, and (built on first use) the same bytes behind a TCP length
 * header. Writing one {@code OutFrame} to many sessions shares these arrays; no session re-encodes it.
 *
 * <p>Not thread-safe for the lazy TCP form: share an instance among the sessions of one event loop, or build it before
 * handing it to other threads with {@link #tcpBytes()}.
 */
public final class OutFrame {
  private final byte[] json;
  private byte[] tcp;

  private OutFrame(byte[] json) {
    this.json = json;
  }

  public static OutFrame of(JsonObject frame) {
    return new OutFrame(frame.toBuffer().getBytes());
  }

  /** Wraps already-encoded JSON bytes, e.g. the body of an event-bus message. The array must not change. */
  public static OutFrame ofJsonBytes(byte[] json) {
    return new OutFrame(json);
  }

  public static OutFrame ofJson(Buffer json) {
    return new OutFrame(json.getBytes());
  }

  /** The JSON bytes: what a WebSocket text frame carries. Do not modify. */
  public byte[] jsonBytes() {
    return json;
  }

  /** A 4-byte big-endian length followed by the JSON bytes: what the TCP transport writes. Do not modify. */
  public byte[] tcpBytes() {
    byte[] t = tcp;
    if (t == null) {
      t = TcpFraming.frame(json);
      tcp = t;
    }
    return t;
  }

  public int size() {
    return json.length;
  }

  @Override
  public String toString() {
    return new String(json, StandardCharsets.UTF_8);
  }
}

package dev.switchboard.shared.frame;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * An outbound frame encoded once: the UTF-8 JSON bytes, and (built on first use) the same bytes behind a TCP length
 * header. Writing one {@code OutFrame} to many sessions shares these arrays; no session re-encodes it.
 *
 * <p>Immutable but for the lazily built TCP form, so one instance may be shared by sessions on every event loop.
 */
public final class OutFrame {
  private final byte[] json;
  /** Built on first use; a benign race may build it twice, each time equal and safely published. */
  private volatile byte[] tcp;

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

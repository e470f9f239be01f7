package dev.switchboard.gateway.connection;

import dev.switchboard.protocol.frame.OutFrame;
import java.util.Arrays;

/**
 * The frames of one connection waiting for the next flush, in the order they were delivered. It exists only while
 * something waits: a connection holds none when idle and drops it when it is flushed, so an idle connection costs one
 * null reference. Confined to the connection's event loop.
 */
final class Outbox {
  /** The bytes a frame adds besides its payload: the TCP length header (a WebSocket header is at most as long). */
  static final int HEADER_BYTES = 4;

  private OutFrame[] frames = new OutFrame[4];
  private int count;
  private long bytes;

  /** Appends a frame behind the ones already waiting. */
  void add(OutFrame frame) {
    if (count == frames.length) {
      frames = Arrays.copyOf(frames, count * 2);
    }
    frames[count++] = frame;
    bytes += cost(frame);
  }

  /** What {@code frame} counts toward the connection's outbound bound. */
  static long cost(OutFrame frame) {
    return frame.size() + HEADER_BYTES;
  }

  /** The waiting frames, oldest first, in {@code [0, count())}; the array is not copied. */
  OutFrame[] frames() {
    return frames;
  }

  int count() {
    return count;
  }

  /** The bytes waiting (payloads plus headers; JSON size: a protobuf form is smaller). */
  long bytes() {
    return bytes;
  }
}

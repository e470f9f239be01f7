package dev.switchboard.gateway.connection;

import dev.switchboard.protocol.frame.OutFrame;
import java.util.Arrays;

/**
 * The frames of one connection waiting for the next flush, in the order they were delivered. A connection holds one
 * only while something waits, by its number in the instance's {@link Outboxes} (an idle connection holds nothing but
 * {@link Outboxes#NONE}). Confined to the connection's event loop.
 */
final class Outbox {
  /** An emptied outbox keeps a frame array up to this long; a longer one (a burst) is dropped. */
  static final int KEEP_FRAMES = 64;
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

  /** Drops the frames (the outbox goes back to its pool). */
  void clear() {
    if (frames.length > KEEP_FRAMES) {
      frames = new OutFrame[4];
    } else {
      Arrays.fill(frames, 0, count, null);
    }
    count = 0;
    bytes = 0;
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

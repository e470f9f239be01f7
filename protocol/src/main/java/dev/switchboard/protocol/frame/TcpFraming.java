package dev.switchboard.protocol.frame;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;
import java.util.function.IntConsumer;

/**
 * TCP framing: each frame is a 4-byte big-endian unsigned length followed by that many bytes of UTF-8 JSON.
 *
 * <p>The parser never buffers more than the configured maximum: a header announcing a larger payload (or zero) is
 * reported to {@code onBadLength} and the parser stops; the caller closes the connection.
 */
public final class TcpFraming implements Handler<Buffer> {
  public static final int HEADER = 4;

  private final RecordParser parser;
  private final int maxFrame;
  private final Handler<Buffer> onFrame;
  private final IntConsumer onBadLength;
  private boolean expectHeader = true;
  private boolean stopped;

  public TcpFraming(int maxFrame, Handler<Buffer> onFrame, IntConsumer onBadLength) {
    this.maxFrame = maxFrame;
    this.onFrame = onFrame;
    this.onBadLength = onBadLength;
    this.parser = RecordParser.newFixed(HEADER, this::record);
  }

  @Override
  public void handle(Buffer chunk) {
    if (!stopped) {
      parser.handle(chunk);
    }
  }

  /**
   * Stops handing out frames, also from the rest of a chunk already received (one read may hold thousands of small
   * frames); what is left waits in the parser, which holds at most the chunk it was given while the socket is paused.
   */
  public void pause() {
    parser.pause();
  }

  /** Hands out the frames that waited, then continues with new chunks. */
  public void resume() {
    parser.resume();
  }

  private void record(Buffer record) {
    if (stopped) {
      return;
    }
    if (expectHeader) {
      long length = record.getUnsignedInt(0);
      if (length == 0 || length > maxFrame) {
        stopped = true;
        onBadLength.accept((int) Math.min(length, Integer.MAX_VALUE));
        return;
      }
      expectHeader = false;
      parser.fixedSizeMode((int) length);
    } else {
      expectHeader = true;
      parser.fixedSizeMode(HEADER);
      onFrame.handle(record);
    }
  }

  /** A new array holding the 4-byte length header and the payload. */
  public static byte[] frame(byte[] payload) {
    byte[] out = new byte[HEADER + payload.length];
    int n = payload.length;
    out[0] = (byte) (n >>> 24);
    out[1] = (byte) (n >>> 16);
    out[2] = (byte) (n >>> 8);
    out[3] = (byte) n;
    System.arraycopy(payload, 0, out, HEADER, n);
    return out;
  }
}

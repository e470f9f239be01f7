package dev.switchboard.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The TCP frame reader (used by the gateway's TCP transport and the bridge) on arbitrary bytes in arbitrary chunks:
 * it never throws, delivers exactly the frames a straightforward reading of the whole stream finds, never a frame
 * longer than the cap, and stops at the first header outside 1..cap, reporting it once, without buffering the bytes
 * that header announced.
 */
class TcpFramingFuzzTest {
  @FuzzTest
  void readsTheSameFramesWhateverTheChunking(FuzzedDataProvider data) {
    int max = data.consumeInt(1, 1 << 16);
    int[] cuts = new int[data.consumeInt(0, 8)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = data.consumeInt(0, 64);
    }
    byte[] stream = data.consumeRemainingAsBytes();

    List<byte[]> frames = new ArrayList<>();
    List<Integer> bad = new ArrayList<>();
    TcpFraming framing = new TcpFraming(max, f -> frames.add(f.getBytes()), bad::add);
    int at = 0;
    for (int i = 0; at < stream.length; i++) {
      int n = i < cuts.length ? Math.min(cuts[i], stream.length - at) : stream.length - at;
      framing.handle(Buffer.buffer(Arrays.copyOfRange(stream, at, at + n)));
      at += n;
    }

    Reference expected = Reference.read(stream, max);
    assertEquals(expected.frames.size(), frames.size());
    for (int i = 0; i < frames.size(); i++) {
      assertTrue(frames.get(i).length >= 1 && frames.get(i).length <= max);
      assertTrue(Arrays.equals(expected.frames.get(i), frames.get(i)), "frame " + i);
    }
    assertEquals(expected.badLength, bad.isEmpty() ? null : bad.get(0));
    assertTrue(bad.size() <= 1, "a bad length is reported once");
  }

  /** The frames of a whole stream, read the obvious way, and the first out-of-range length (or null). */
  private record Reference(List<byte[]> frames, Integer badLength) {
    static Reference read(byte[] stream, int max) {
      List<byte[]> frames = new ArrayList<>();
      ByteBuffer in = ByteBuffer.wrap(stream);
      while (in.remaining() >= TcpFraming.HEADER) {
        long length = Integer.toUnsignedLong(in.getInt());
        if (length == 0 || length > max) {
          return new Reference(frames, (int) Math.min(length, Integer.MAX_VALUE));
        }
        if (in.remaining() < length) {
          break;
        }
        byte[] frame = new byte[(int) length];
        in.get(frame);
        frames.add(frame);
      }
      return new Reference(frames, null);
    }
  }
}

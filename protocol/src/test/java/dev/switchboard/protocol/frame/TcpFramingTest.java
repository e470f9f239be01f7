package dev.switchboard.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpFramingTest {
  private final List<String> frames = new ArrayList<>();
  private final List<Integer> bad = new ArrayList<>();
  private final TcpFraming parser = new TcpFraming(16, b -> frames.add(b.toString()), bad::add);

  private static byte[] framed(String s) {
    return TcpFraming.frame(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void splitsFramesArrivingInPiecesAndTogether() {
    byte[] a = framed("{\"op\":\"a\"}");
    byte[] b = framed("{\"op\":\"bb\"}");
    Buffer all = Buffer.buffer().appendBytes(a).appendBytes(b);
    for (int i = 0; i < all.length(); i += 3) {
      parser.handle(all.getBuffer(i, Math.min(all.length(), i + 3)));
    }
    parser.handle(all);
    assertEquals(List.of("{\"op\":\"a\"}", "{\"op\":\"bb\"}", "{\"op\":\"a\"}", "{\"op\":\"bb\"}"), frames);
    assertEquals(List.of(), bad);
  }

  @Test
  void stopsAtAHeaderOverTheLimitWithoutReadingFurther() {
    parser.handle(Buffer.buffer().appendInt(17).appendString("x".repeat(17)));
    parser.handle(Buffer.buffer(framed("{}")));
    assertEquals(List.of(17), bad);
    assertEquals(List.of(), frames);
  }

  @Test
  void rejectsAZeroLengthFrame() {
    parser.handle(Buffer.buffer().appendInt(0));
    assertEquals(List.of(0), bad);
  }

  @Test
  void headerIsBigEndianLength() {
    byte[] f = framed("é");
    assertEquals(6, f.length);
    assertEquals(Buffer.buffer().appendInt(2).appendString("é"), Buffer.buffer(f));
  }
}

package dev.switchboard.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.frame.TcpFraming;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bridge's frame reader as {@link BridgeConnection} runs it (the length-prefixed framing, then
 * {@link BridgeFrame#read}) on arbitrary bytes: each frame is read or refused with {@code bad_frame}, nothing else is
 * thrown, and no frame over the cap is buffered or delivered.
 */
class BridgeFrameFuzzTest {
  private static final int MAX = 8192;

  @FuzzTest
  void readsOrRefusesEveryFrame(FuzzedDataProvider data) {
    int chunk = data.consumeInt(1, 4096);
    byte[] stream = data.consumeRemainingAsBytes();
    List<BridgeFrame> frames = new ArrayList<>();
    List<Integer> tooLarge = new ArrayList<>();
    TcpFraming reader = new TcpFraming(MAX, bytes -> {
      assertTrue(bytes.length() <= MAX);
      try {
        BridgeFrame f = BridgeFrame.read(bytes);
        assertNotNull(f.type());
        f.bodyString("service");
        f.bodyString("secret");
        frames.add(f);
      } catch (ImException e) {
        assertEquals(ErrorCode.BAD_FRAME, e.code(), e.getMessage());
      }
    }, tooLarge::add);
    for (int at = 0; at < stream.length; at += chunk) {
      reader.handle(Buffer.buffer(java.util.Arrays.copyOfRange(stream, at, Math.min(stream.length, at + chunk))));
    }
    assertTrue(tooLarge.size() <= 1);
    tooLarge.forEach(n -> assertTrue(n == 0 || n > MAX, "reported length " + n));
  }
}

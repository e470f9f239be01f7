package dev.switchboard.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {
  private static boolean jdk(byte[] b) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  @Test
  void agreesWithTheJdkDecoderOnEdgeCases() {
    byte[][] cases = {
        {}, "plain".getBytes(StandardCharsets.UTF_8), "é😀\u07ff\u0800\uffff".getBytes(StandardCharsets.UTF_8),
        {(byte) 0xC0, (byte) 0x80}, {(byte) 0xC1, (byte) 0xBF}, {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
        {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80}, {(byte) 0xFF}, {'a', (byte) 0xC3}};
    for (byte[] c : cases) {
      assertEquals(jdk(c), Utf8.valid(c), java.util.HexFormat.of().formatHex(c));
    }
  }

  @Test
  void agreesWithTheJdkDecoderOnRandomBytes() {
    Random r = new Random(15);
    for (int i = 0; i < 200_000; i++) {
      byte[] b = new byte[r.nextInt(6)];
      r.nextBytes(b);
      assertEquals(jdk(b), Utf8.valid(b), java.util.HexFormat.of().formatHex(b));
    }
  }
}

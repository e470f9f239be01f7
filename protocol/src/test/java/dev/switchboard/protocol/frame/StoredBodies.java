package dev.switchboard.protocol.frame;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Stored bodies of every JSON type and shape, as text (what a stored message's body column holds). */
public final class StoredBodies {
  private StoredBodies() {
  }

  public static final List<String> ALL = List.of(
      "{\"text\":\"hi\"}",
      "[1,\"two\",{\"three\":3.5},null,true]",
      "\"plain\"",
      "\"\"",
      "42",
      "0",
      "-0",
      "-1.25e10",
      "1e300",
      "0.1",
      "9007199254740993",
      "-9223372036854775808",
      "123456789012345678901234567890",
      "true",
      "false",
      "null",
      "{}",
      "[]",
      "{\"a\":{\"b\":[[],{},[{\"c\":[1,[2,[3]]]}]]},\"z\":\"end\"}",
      "\"h\\u00e9llo \\u4e16\\u754c \\ud83d\\ude00 \\\"q\\\" \\\\ \\n \\u2028\"",
      "\"héllo 世界 😀\"",
      "{\"é\":\"ü\",\"😀\":[\"世界\"]}",
      "{\"dup\":1,\"x\":0,\"dup\":2}",
      "  { \"spaced\" : [ 1 , 2 ] }\n",
      "{\"long\":\"" + "x".repeat(300) + "\",\"n\":[" + "1,".repeat(200) + "1]}");

  public static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }
}

package dev.switchboard.protocol.frame;

/** UTF-8 sizes without encoding. */
public final class Utf8 {
  private Utf8() {
  }

  /** The number of bytes {@code s} takes in UTF-8 (an unpaired surrogate counts as the 3 bytes of '?'-free CESU). */
  public static int length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < 0x80) {
        n++;
      } else if (ch < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * Whether {@code bytes} is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF),
   * checked in place: what a WebSocket text message must be (RFC 6455 §8.1).
   */
  public static boolean valid(byte[] bytes) {
    int n = bytes.length;
    int i = 0;
    while (i < n) {
      int b = bytes[i] & 0xFF;
      if (b < 0x80) {
        i++;
        continue;
      }
      int extra;
      int min;
      if (b >= 0xC2 && b <= 0xDF) {
        extra = 1;
        min = 0x80;
      } else if (b >= 0xE0 && b <= 0xEF) {
        extra = 2;
        min = 0x800;
      } else if (b >= 0xF0 && b <= 0xF4) {
        extra = 3;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + extra >= n) {
        return false;
      }
      int cp = b & (0x3F >> extra);
      for (int k = 1; k <= extra; k++) {
        int c = bytes[i + k] & 0xFF;
        if ((c & 0xC0) != 0x80) {
          return false;
        }
        cp = (cp << 6) | (c & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return false;
      }
      i += extra + 1;
    }
    return true;
  }
}

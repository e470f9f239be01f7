package dev.switchboard.shared.frame;

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
}

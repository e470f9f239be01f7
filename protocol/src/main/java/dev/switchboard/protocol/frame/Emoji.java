package dev.switchboard.protocol.frame;

/**
 * What a reaction may be: one emoji, as Unicode writes it — a pictographic code point, a flag (two regional
 * indicators), a keycap ({@code 0-9 # *} + U+FE0F? + U+20E3) or a tag sequence, with variation selectors, skin-tone
 * modifiers and zero-width joiners between them (so families and professions count as one). At most
 * {@link #MAX_CODE_POINTS} code points; two pictographs side by side (not joined) are two emoji, refused. The check is by code-point ranges (JDK 17 has no emoji property): it lets
 * through a few pictographs that no font draws, and refuses letters, digits alone, punctuation, spaces and controls.
 */
public final class Emoji {
  /** Most code points in one reaction (the longest family/profession sequences have 10). */
  public static final int MAX_CODE_POINTS = 16;

  private Emoji() {
  }

  /** True when {@code s} is one emoji (sequence) as above. */
  public static boolean valid(String s) {
    if (s == null || s.isEmpty() || s.length() > 2 * MAX_CODE_POINTS) {
      return false;
    }
    int count = 0;
    int regional = 0;
    int prev = -1;
    boolean pictograph = false;
    for (int i = 0; i < s.length(); prev = s.codePointBefore(i)) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (++count > MAX_CODE_POINTS) {
        return false;
      }
      if (pictographic(cp)) {
        boolean flagHalf = cp >= 0x1F1E6 && cp <= 0x1F1FF;
        // A second pictograph only after a zero-width joiner, or as the second half of a flag: one emoji, not two.
        if (pictograph && prev != 0x200D && !(flagHalf && regional == 1 && prev >= 0x1F1E6 && prev <= 0x1F1FF)) {
          return false;
        }
        regional += flagHalf ? 1 : 0;
        pictograph = true;
      } else if (isKeycapBase(cp)) {
        if (pictograph) {
          return false;
        }
        // a keycap: the base must be followed by (FE0F) 20E3
        int next = i < s.length() ? s.codePointAt(i) : -1;
        if (next == 0xFE0F) {
          int j = i + 1;
          next = j < s.length() ? s.codePointAt(j) : -1;
        }
        if (next != 0x20E3) {
          return false;
        }
        pictograph = true;
      } else if (!joiner(cp)) {
        return false;
      }
    }
    return pictograph;
  }

  private static boolean isKeycapBase(int cp) {
    return (cp >= '0' && cp <= '9') || cp == '#' || cp == '*';
  }

  /** Code points that join or modify an emoji: ZWJ, variation selectors, keycap, skin tones, tags. */
  private static boolean joiner(int cp) {
    return cp == 0x200D || cp == 0xFE0F || cp == 0xFE0E || cp == 0x20E3 || (cp >= 0x1F3FB && cp <= 0x1F3FF)
        || (cp >= 0xE0020 && cp <= 0xE007F);
  }

  private static boolean pictographic(int cp) {
    return (cp >= 0x1F000 && cp <= 0x1FAFF && !(cp >= 0x1F3FB && cp <= 0x1F3FF))
        || (cp >= 0x2600 && cp <= 0x27BF)
        || (cp >= 0x2300 && cp <= 0x23FF)
        || (cp >= 0x2B00 && cp <= 0x2BFF)
        || (cp >= 0x2190 && cp <= 0x21FF)
        || (cp >= 0x25A0 && cp <= 0x25FF)
        || (cp >= 0x2934 && cp <= 0x2935)
        || cp == 0x00A9 || cp == 0x00AE || cp == 0x203C || cp == 0x2049 || cp == 0x2122 || cp == 0x2139
        || cp == 0x24C2 || cp == 0x3030 || cp == 0x303D || cp == 0x3297 || cp == 0x3299;
  }
}

package dev.switchboard.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmojiTest {
  @ParameterizedTest
  @ValueSource(strings = {"\ud83d\udc4d", "\u2764\ufe0f", "\ud83d\ude02", "\ud83d\udc4d\ud83c\udffd",
      "\ud83c\uddeb\ud83c\uddf7", "1\ufe0f\u20e3", "#\u20e3",
      "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67\u200d\ud83d\udc66", "\ud83e\uddd1\u200d\ud83d\udcbb",
      "\ud83c\udff4\udb40\udc67\udb40\udc62\udb40\udc65\udb40\udc6e\udb40\udc67\udb40\udc7f", "\u00a9"})
  void emojiAreAccepted(String s) {
    assertTrue(Emoji.valid(s), s);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "1", "ok", " ", "\ud83d\udc4d ", "\u200d", "\ufe0f", "\ud83c\udffd", "1\ufe0f",
      "\ud83d\udc4da", "<script>", "\u0000", "\ud83d",
      "\ud83d\udc4d\ud83d\udc4d", "\ud83c\uddeb\ud83c\uddf7\ud83c\uddeb", "\ud83d\udc4d1\u20e3"})
  void othersAreRefused(String s) {
    assertFalse(Emoji.valid(s), s);
  }

  @org.junit.jupiter.api.Test
  void tooLongSequencesAreRefused() {
    // a pictograph, then (ZWJ + pictograph) pairs: 15 code points pass, 17 do not
    String seven = "\ud83d\udc4d" + "\u200d\ud83d\udc4d".repeat(7);
    assertTrue(Emoji.valid(seven));
    assertFalse(Emoji.valid(seven + "\u200d\ud83d\udc4d"));
  }
}

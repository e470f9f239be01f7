package dev.switchboard.shared.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchTextTest {
  @Test
  void termsAreRunsOfLettersAndDigitsLowerCasedOnceEach() {
    assertEquals(List.of("café", "au", "lait", "42"), SearchText.terms("  Café-au_LAIT? 42 café "));
    assertEquals(List.of("日本語", "テキスト"), SearchText.terms("日本語 テキスト"));
    assertEquals(List.of("𝒜bc"), SearchText.terms("𝒜bc"), "letters outside the BMP");
  }

  @Test
  void badQueriesFailInvalidFieldNamingQ() {
    for (String bad : new String[] {null, "", "   ", "?!-", "x".repeat(201), "a b c d e f g h i j k"}) {
      ImException e = assertThrows(ImException.class, () -> SearchText.terms(bad), String.valueOf(bad));
      assertEquals(ErrorCode.INVALID_FIELD, e.code());
      assertTrue(e.getMessage().contains("'q'"), e.getMessage());
    }
    assertEquals(10, SearchText.terms("a b c d e f g h i j").size());
    assertEquals(1, SearchText.terms(" " + "x".repeat(200) + " ").size(), "200 characters after trimming");
  }

  @Test
  void searchableTextIsAStringBodyOrTheTextAndCaptionOfAnObject() {
    assertEquals("say \"hi\"", SearchText.searchable("\"say \\\"hi\\\"\""));
    assertEquals("a cat\nin a hat", SearchText.searchable("{\"caption\":\"in a hat\",\"text\":\"a cat\",\"w\":1}"));
    assertEquals("", SearchText.searchable("{\"url\":\"https://example.org/cat.png\"}"));
    assertEquals("", SearchText.searchable("[\"cat\"]"));
    assertEquals("", SearchText.searchable("42"));
    assertEquals("", SearchText.searchable(null));
    assertEquals("", SearchText.searchable("{not json"));
  }

  @Test
  void everyTermMustBeginAWordIgnoringCaseAndAccents() {
    assertTrue(SearchText.matches("\"Cats! and CAT-5\"", List.of("cat")));
    assertTrue(SearchText.matches("\"Crème brûlée\"", List.of("creme", "brul")));
    assertTrue(SearchText.matches("\"creme\"", List.of("crème")));
    assertFalse(SearchText.matches("\"concatenate\"", List.of("cat")), "inside a word");
    assertTrue(SearchText.matches("\"concat cat\"", List.of("cat")), "a later occurrence begins a word");
    assertFalse(SearchText.matches("\"a cat\"", List.of("cat", "dog")), "every term");
    assertFalse(SearchText.matches("{\"text\":\"a dog\"}", List.of("text")), "field names are not text");
    assertFalse(SearchText.matches("\"anything\"", List.of()), "no terms, no match");
  }
}

package dev.switchboard.shared.search;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a message search matches, the same on every backend (docs/architecture.md, "Search"):
 * <ul>
 *   <li>a query is split into <b>terms</b>: runs of letters and digits, lower-cased ({@link #terms});</li>
 *   <li>a message's <b>searchable text</b> is its body when the body is a JSON string, else the {@code text} and
 *   {@code caption} string fields of an object body; other bodies (numbers, arrays, objects without those fields)
 *   are never found ({@link #searchable});</li>
 *   <li>a message matches when every term begins a word of its searchable text, compared without case and accents
 *   ({@link #matches}): {@code cat} finds "Cats!" and "CAT-5" but not "concat".</li>
 * </ul>
 * The database's index only narrows the candidates (it sees the stored JSON text, key names included); every
 * candidate is checked here before it is returned. Pure functions, any thread.
 */
public final class SearchText {
  /** Longest query, in characters after trimming. */
  public static final int MAX_QUERY = 200;
  /** Most distinct terms in one query. */
  public static final int MAX_TERMS = 10;
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");

  private SearchText() {
  }

  /**
   * The distinct terms of query {@code q}, in order: lower-cased (accents kept: the database compares with them on
   * the embedded backend). Fails {@code invalid_field} naming parameter {@code q} when it is missing, blank, longer
   * than {@link #MAX_QUERY}, has no letter or digit, or more than {@link #MAX_TERMS} terms.
   */
  public static List<String> terms(String q) {
    String query = q == null ? "" : q.strip();
    if (query.isEmpty() || query.length() > MAX_QUERY) {
      throw new ImException(ErrorCode.INVALID_FIELD, "query parameter 'q' must be 1 to " + MAX_QUERY
          + " characters");
    }
    Set<String> terms = new LinkedHashSet<>();
    StringBuilder term = new StringBuilder();
    for (int i = 0; i <= query.length(); ) {
      int cp = i < query.length() ? query.codePointAt(i) : ' ';
      if (Character.isLetterOrDigit(cp)) {
        term.appendCodePoint(cp);
      } else if (term.length() > 0) {
        terms.add(term.toString().toLowerCase(Locale.ROOT));
        term.setLength(0);
      }
      i += i < query.length() ? Character.charCount(cp) : 1;
    }
    if (terms.isEmpty()) {
      throw new ImException(ErrorCode.INVALID_FIELD, "query parameter 'q' has no word to search for (letters or "
          + "digits)");
    }
    if (terms.size() > MAX_TERMS) {
      throw new ImException(ErrorCode.INVALID_FIELD, "query parameter 'q' has more than " + MAX_TERMS + " words");
    }
    return List.copyOf(terms);
  }

  /**
   * The searchable text of a stored body (its JSON text): the string itself, or the {@code text} and
   * {@code caption} strings of an object, joined by a newline; "" for anything else (null, unreadable JSON included).
   */
  public static String searchable(String bodyJson) {
    if (bodyJson == null) {
      return "";
    }
    Object body;
    try {
      body = Json.decodeValue(bodyJson);
    } catch (DecodeException e) {
      return "";
    }
    if (body instanceof String s) {
      return s;
    }
    if (body instanceof JsonObject o) {
      List<String> parts = new ArrayList<>(2);
      for (String field : List.of("text", "caption")) {
        if (o.getValue(field) instanceof String s) {
          parts.add(s);
        }
      }
      return String.join("\n", parts);
    }
    return "";
  }

  /** Whether every one of {@code terms} begins a word of {@code bodyJson}'s {@link #searchable} text. */
  public static boolean matches(String bodyJson, List<String> terms) {
    String text = fold(searchable(bodyJson));
    for (String term : terms) {
      if (!beginsAWord(text, fold(term))) {
        return false;
      }
    }
    return !terms.isEmpty();
  }

  /** {@code s} lower-cased without accents (decomposed, combining marks dropped). */
  static String fold(String s) {
    return MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFD)).replaceAll("").toLowerCase(Locale.ROOT);
  }

  private static boolean beginsAWord(String text, String term) {
    for (int i = text.indexOf(term); i >= 0; i = text.indexOf(term, i + 1)) {
      if (i == 0 || !Character.isLetterOrDigit(text.codePointBefore(i))) {
        return true;
      }
    }
    return false;
  }
}

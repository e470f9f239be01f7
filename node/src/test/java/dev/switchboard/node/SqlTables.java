package dev.switchboard.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tables a piece of source names in its SQL, read as SQL and not as words: from a Java file only its string
 * literals count (comments never), literals joined by {@code +} are read as one text, and a {@code String} constant
 * of the same file used in such a join is read in place; from a {@code .sql} file everything outside comments. A
 * table is the identifier (bare, back-quoted or schema-qualified) after {@code FROM} (each item of a comma list),
 * {@code JOIN}, {@code INTO}, {@code UPDATE} (not {@code ON DUPLICATE KEY UPDATE} or {@code FOR UPDATE}) and
 * {@code TABLE}, outside SQL string literals; SQL keywords are written in capitals, as everywhere in this codebase.
 * Test helper: no state.
 */
final class SqlTables {
  private static final String IDENT = "(?:`[^`]+`|\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_$]*)";
  private static final String NAME = IDENT + "(?:\\s*\\.\\s*" + IDENT + ")?";
  private static final Pattern AFTER_KEYWORD = Pattern.compile(
      "(?<![A-Za-z0-9_])(KEY\\s+UPDATE|FOR\\s+UPDATE|JOIN|INTO|UPDATE|TABLE(?:\\s+IF\\s+(?:NOT\\s+)?EXISTS)?)\\s+("
          + NAME + ")");
  private static final Pattern FROM = Pattern.compile("(?<![A-Za-z0-9_])FROM\\s+");
  /** Where a FROM list ends: a clause keyword or anything that is not part of "name [AS] alias, ...". */
  private static final Pattern FROM_ITEM = Pattern.compile("\\s*(" + NAME + ")(?:\\s+(?:AS\\s+)?(?!(?:WHERE|JOIN|"
      + "LEFT|RIGHT|INNER|OUTER|CROSS|GROUP|ORDER|LIMIT|UNION|ON|FOR|HAVING|USING)(?![A-Za-z0-9_]))"
      + "[A-Za-z_][A-Za-z0-9_]*)?\\s*(,)?");
  private static final Pattern CREATE = Pattern.compile(
      "(?<![A-Za-z0-9_])CREATE\\s+TABLE(?:\\s+IF\\s+NOT\\s+EXISTS)?\\s+(" + NAME + ")");

  private SqlTables() {
  }

  /** Every table {@code text} (SQL) names, lower case; SQL string literals ({@code '...'}) are not read. */
  static Set<String> named(String sql) {
    String text = sql.replaceAll("'(?:[^'\\\\]|\\\\.|'')*'", "''");
    Set<String> tables = new TreeSet<>();
    Matcher m = AFTER_KEYWORD.matcher(text);
    while (m.find()) {
      if (!m.group(1).matches("(KEY|FOR)\\s+UPDATE")) { // ON DUPLICATE KEY UPDATE col = ..., SELECT ... FOR UPDATE
        tables.add(table(m.group(2)));
      }
    }
    Matcher f = FROM.matcher(text);
    while (f.find()) {
      int at = f.end();
      Matcher item = FROM_ITEM.matcher(text);
      while (item.region(at, text.length()).lookingAt()) {
        tables.add(table(item.group(1)));
        if (item.group(2) == null) {
          break;
        }
        at = item.end();
      }
    }
    return tables;
  }

  /** The tables {@code text} (SQL) creates, lower case. */
  static Set<String> created(String text) {
    Set<String> tables = new TreeSet<>();
    Matcher m = CREATE.matcher(text);
    while (m.find()) {
      tables.add(table(m.group(1)));
    }
    return tables;
  }

  /** The SQL of a {@code .sql} file: everything but its comments. */
  static String ofSqlFile(String text) {
    return text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)(--|#).*$", " ");
  }

  /**
   * The SQL texts of a Java file: each run of string literals (and same-file {@code String} constants) joined by
   * {@code +}, one text per run, in source order.
   */
  static List<String> ofJavaFile(String source) {
    List<Token> tokens = tokens(source);
    Map<String, String> constants = constants(tokens);
    List<String> runs = new ArrayList<>();
    StringBuilder run = new StringBuilder();
    for (Token t : tokens) {
      String value = t.kind == Kind.STRING ? t.text : t.kind == Kind.IDENT ? constants.get(t.text) : null;
      if (value != null) {
        run.append(value);
      } else if (!(t.kind == Kind.OTHER && t.text.equals("+"))) {
        if (run.length() > 0) {
          runs.add(run.toString());
          run.setLength(0);
        }
      }
    }
    if (run.length() > 0) {
      runs.add(run.toString());
    }
    return runs;
  }

  private static String table(String name) {
    String last = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).strip() : name;
    return last.replaceAll("[`\"]", "").toLowerCase(Locale.ROOT);
  }

  private enum Kind { STRING, IDENT, OTHER }

  private record Token(Kind kind, String text) {
  }

  /** {@code String NAME = "..." + OTHER + "...";} of this file, by name (a constant built from constants too). */
  private static Map<String, String> constants(List<Token> tokens) {
    Map<String, String> constants = new HashMap<>();
    for (int pass = 0; pass < 3; pass++) {
      for (int i = 0; i + 3 < tokens.size(); i++) {
        if (!(tokens.get(i).kind == Kind.IDENT && tokens.get(i).text.equals("String")
            && tokens.get(i + 1).kind == Kind.IDENT && tokens.get(i + 2).text.equals("="))) {
          continue;
        }
        StringBuilder value = new StringBuilder();
        int j = i + 3;
        boolean constant = true;
        for (; j < tokens.size() && !tokens.get(j).text.equals(";"); j++) {
          Token t = tokens.get(j);
          if (t.kind == Kind.STRING) {
            value.append(t.text);
          } else if (t.kind == Kind.IDENT && constants.containsKey(t.text)) {
            value.append(constants.get(t.text));
          } else if (!t.text.equals("+")) {
            constant = false;
            break;
          }
        }
        if (constant) {
          constants.put(tokens.get(i + 1).text, value.toString());
        }
      }
    }
    return constants;
  }

  /** String literals (text blocks too, escapes kept as written), identifiers and other characters; no comments. */
  private static List<Token> tokens(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (s.startsWith("//", i)) {
        i = s.indexOf('\n', i) < 0 ? n : s.indexOf('\n', i);
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (s.startsWith("\"\"\"", i)) {
        int end = s.indexOf("\"\"\"", i + 3);
        end = end < 0 ? n : end;
        out.add(new Token(Kind.STRING, s.substring(i + 3, end)));
        i = end + 3;
      } else if (c == '"' || c == '\'') {
        StringBuilder text = new StringBuilder();
        int j = i + 1;
        while (j < n && s.charAt(j) != c) {
          if (s.charAt(j) == '\\' && j + 1 < n) {
            text.append(s.charAt(j + 1) == c || s.charAt(j + 1) == '\\' ? "" : "\\");
            j++;
          }
          text.append(s.charAt(j++));
        }
        if (c == '"') {
          out.add(new Token(Kind.STRING, text.toString()));
        } else {
          out.add(new Token(Kind.OTHER, "'"));
        }
        i = j + 1;
      } else if (Character.isJavaIdentifierStart(c)) {
        int j = i;
        while (j < n && Character.isJavaIdentifierPart(s.charAt(j))) {
          j++;
        }
        out.add(new Token(Kind.IDENT, s.substring(i, j)));
        i = j;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else {
        out.add(new Token(Kind.OTHER, String.valueOf(c)));
        i++;
      }
    }
    return out;
  }
}

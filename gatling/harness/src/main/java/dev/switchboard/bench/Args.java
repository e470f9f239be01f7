package dev.switchboard.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code key=value} command-line arguments of the load tools. */
final class Args {
  private final Map<String, String> values = new HashMap<>();

  Args(String[] argv) {
    for (String a : argv) {
      int eq = a.indexOf('=');
      if (eq > 0) {
        values.put(a.substring(0, eq), a.substring(eq + 1));
      }
    }
  }

  String str(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  String required(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing argument " + key + "=...");
    }
    return v;
  }

  int integer(String key, int fallback) {
    return Integer.parseInt(str(key, Integer.toString(fallback)));
  }
}

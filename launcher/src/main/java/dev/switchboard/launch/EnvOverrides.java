package dev.switchboard.launch;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Any config value from the environment, the way containers are configured: {@code SWITCHBOARD__} followed by the
 * value's key path, keys separated by {@code __}, each key in upper snake case. {@code
 * SWITCHBOARD__VERTICLES__GATEWAY__WS_PORT=8081} sets {@code verticles.gateway.wsPort}; {@code
 * SWITCHBOARD__STORAGE__DB__PASSWORD_FILE=/run/secrets/db} sets {@code storage.db.password} to the contents of that
 * file (stripped), which is how secrets are passed without putting them in the environment itself.
 *
 * <p>A key matches the config's existing key that spells the same apart from case and underscores ({@code WS_PORT}
 * is {@code wsPort}); a key the config does not have yet is made camelCase ({@code MERGE_SECONDS} is {@code
 * mergeSeconds}), and missing sections are created. A value replacing a string stays a string (so does a new key's
 * value read from a file); otherwise it is read as JSON when it is JSON ({@code 8081}, {@code true},
 * {@code ["a","b"]}, {@code {"kind":"redis"}}) and as a string when not. The overrides apply after the config file
 * and before validation, in the order of their names; the older single-purpose variables ({@code SWITCHBOARD_AUTH_SECRET}, {@code SWITCHBOARD_CLUSTER_MEMBERS}, ...) keep
 * working and win over both.
 */
final class EnvOverrides {
  static final String PREFIX = "SWITCHBOARD__";
  private static final String FILE = "_FILE";

  private EnvOverrides() {
  }

  /**
   * Applies every {@code SWITCHBOARD__...} variable of {@code environment} to {@code config} (changed in place) and
   * returns the key paths it set (for the log: names, never values). Throws {@link IllegalArgumentException} naming
   * the variable when its path is empty or runs through a value that is not an object, and
   * {@link UncheckedIOException} when a {@code _FILE} cannot be read. Blocking when a file is read.
   */
  static List<String> apply(JsonObject config, Map<String, String> environment) {
    List<String> set = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
      if (!e.getKey().startsWith(PREFIX)) {
        continue;
      }
      String name = e.getKey();
      String[] keys = name.substring(PREFIX.length()).split("__", -1);
      boolean fromFile = keys[keys.length - 1].endsWith(FILE);
      if (fromFile) {
        keys[keys.length - 1] = keys[keys.length - 1].substring(0, keys[keys.length - 1].length() - FILE.length());
      }
      for (String k : keys) {
        if (k.isEmpty()) {
          throw new IllegalArgumentException(name + ": an empty key in the path (keys are separated by '__')");
        }
      }
      JsonObject at = config;
      StringBuilder path = new StringBuilder();
      for (int i = 0; i < keys.length - 1; i++) {
        String key = key(at, keys[i]);
        path.append(key).append('.');
        Object next = at.getValue(key);
        if (next == null) {
          next = new JsonObject();
          at.put(key, next);
        }
        if (!(next instanceof JsonObject object)) {
          throw new IllegalArgumentException(name + ": " + path.substring(0, path.length() - 1)
              + " is not a section, so it has no key " + keys[i + 1]);
        }
        at = object;
      }
      String key = key(at, keys[keys.length - 1]);
      String raw = fromFile ? read(name, e.getValue()) : e.getValue();
      Object existing = at.getValue(key);
      // A secret read from a file for a key the config does not have is a string, whatever it looks like.
      at.put(key, existing instanceof String || (fromFile && existing == null) ? raw : value(raw));
      set.add(path + key);
    }
    return set;
  }

  /** The existing key of {@code section} that {@code envKey} names, else {@code envKey} in camelCase. */
  private static String key(JsonObject section, String envKey) {
    String wanted = normal(envKey);
    for (String existing : section.fieldNames()) {
      if (normal(existing).equals(wanted)) {
        return existing;
      }
    }
    StringBuilder camel = new StringBuilder();
    boolean upper = false;
    for (char c : envKey.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '_') {
        upper = camel.length() > 0;
      } else {
        camel.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return camel.toString();
  }

  private static String normal(String key) {
    return key.replace("_", "").toLowerCase(Locale.ROOT);
  }

  /** JSON when {@code raw} is JSON (a number, true/false, an array or an object), else the string itself. */
  private static Object value(String raw) {
    String s = raw.strip();
    if (s.isEmpty() || s.equals("null")) {
      return raw;
    }
    try {
      Object parsed = Json.decodeValue(s);
      return parsed instanceof String ? raw : parsed;
    } catch (DecodeException notJson) {
      return raw;
    }
  }

  private static String read(String name, String file) {
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(name + " names a file that cannot be read: " + file, e);
    }
  }
}

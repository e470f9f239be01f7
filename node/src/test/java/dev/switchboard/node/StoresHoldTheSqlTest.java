package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each verticle reaches its tables through its stores (docs/architecture.md, "Storage"): in a verticle module, only
 * the classes of its {@code <verticle>.store} package hold SQL, name the SQL client or build dialect-specific text;
 * every store is an interface ({@code XStore}) with its SQL in one implementation ({@code SqlXStore}). Reads the main
 * sources of every verticle module from the source tree, as {@link TableOwnershipTest} does.
 */
class StoresHoldTheSqlTest {
  private static final Path VERTICLES = Path.of("..", "verticles").toAbsolutePath().normalize();
  private static final Pattern SQL_API = Pattern.compile(
      "^import\\s+(?:static\\s+)?(io\\.vertx\\.(?:sqlclient|jdbcclient|mysqlclient)\\.[\\w.]+|"
          + "dev\\.switchboard\\.shared\\.store\\.(?:Dialect|SqlChunks|Pages)\\b[\\w.]*);", Pattern.MULTILINE);
  private static final Pattern INTERFACE = Pattern.compile("\\bpublic\\s+interface\\s+(\\w+Store)\\b");

  @Test
  void onlyTheStoresHoldSql() {
    List<String> outside = new ArrayList<>();
    int inStores = 0;
    for (Map.Entry<Path, String> file : mainSources().entrySet()) {
      String where = VERTICLES.relativize(file.getKey()).toString();
      List<String> found = new ArrayList<>();
      Matcher m = SQL_API.matcher(file.getValue());
      while (m.find()) {
        found.add("imports " + m.group(1));
      }
      for (String sql : SqlTables.ofJavaFile(file.getValue())) {
        if (!SqlTables.named(sql).isEmpty()) {
          found.add("SQL \"" + sql.strip().replaceAll("\\s+", " ") + "\"");
        }
      }
      if (isStore(file.getKey())) {
        inStores += found.size();
      } else {
        found.forEach(f -> outside.add(where + " " + f));
      }
    }
    // The reading does find SQL where it is, so an empty list outside the stores means something.
    assertTrue(inStores > 50, "SQL found in the stores: " + inStores);
    assertEquals(List.of(), outside);
  }

  @Test
  void everyStoreIsAnInterfaceWithOneSqlImplementation() {
    Map<String, List<String>> stores = new TreeMap<>();
    Map<Path, String> sources = mainSources();
    sources.forEach((file, text) -> {
      Matcher m = INTERFACE.matcher(text);
      if (isStore(file) && m.find()) {
        String name = m.group(1);
        List<String> impls = new ArrayList<>();
        sources.forEach((other, body) -> {
          if (Pattern.compile("\\bclass\\s+\\w+\\s+(?:extends\\s+\\w+\\s+)?implements\\s+(?:[\\w.]+\\s*,\\s*)*" + name
              + "\\b").matcher(body).find()) {
            impls.add(other.getFileName().toString());
          }
        });
        stores.put(moduleOf(file) + "/" + name, impls);
      }
    });
    for (String owner : List.of("router", "group", "api")) {
      assertTrue(stores.keySet().stream().anyMatch(s -> s.startsWith(owner + "/")), owner + " has stores: " + stores);
    }
    stores.forEach((store, impls) -> {
      String name = store.substring(store.indexOf('/') + 1);
      assertEquals(List.of("Sql" + name + ".java"), impls, store + " has one SQL implementation");
    });
    assertFalse(stores.isEmpty());
  }

  private static boolean isStore(Path file) {
    Path dir = file.getParent();
    return dir.getFileName().toString().equals("store") && dir.getParent().getFileName().toString()
        .equals(moduleOf(file));
  }

  private static String moduleOf(Path file) {
    return VERTICLES.relativize(file).getName(0).toString();
  }

  /** Every main Java source of every verticle module, with its text. */
  private static Map<Path, String> mainSources() {
    Map<Path, String> files = new TreeMap<>();
    try (Stream<Path> modules = Files.list(VERTICLES)) {
      for (Path module : modules.toList()) {
        Path root = module.resolve("src/main/java");
        if (Files.isDirectory(root)) {
          try (Stream<Path> all = Files.walk(root)) {
            for (Path f : all.filter(f -> f.toString().endsWith(".java")).toList()) {
              files.put(f, Files.readString(f));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertTrue(files.size() > 100, "verticle sources read: " + files.size());
    return files;
  }
}

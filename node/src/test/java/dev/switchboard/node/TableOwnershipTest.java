package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every table belongs to one verticle, and no module's code names a table it does not own (docs/architecture.md,
 * "Data ownership"): another verticle that needs the data asks its owner over the bus. Reads the SQL of every
 * module's main sources (Java string literals and {@code .sql} resources, see {@link SqlTables}) from the source tree.
 * It lives here, in the module that holds the whole-node tests, because it checks every module against the owners
 * all the modules' migrations declare.
 *
 * <p>The owners come from each verticle's own migrations ({@code sql/<v>/**.sql}, shipped in its jar as
 * {@code db/<v>/}): a table belongs to the verticle whose migrations create it, and only one verticle may create it.
 */
class TableOwnershipTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theMigrationsGiveEachTableItsOwner() {
    Map<String, String> owners = owners();
    // The ownership decided when the schema was split (issue 16); tables added since get their creator as owner.
    Map<String, String> decided = Map.ofEntries(
        Map.entry("users", "api"), Map.entry("user_profiles", "api"), Map.entry("user_privacy", "api"),
        Map.entry("contacts", "api"), Map.entry("blocks", "api"),
        Map.entry("messages", "router"), Map.entry("inbox", "router"), Map.entry("inbox_seq", "router"),
        Map.entry("device_cursors", "router"), Map.entry("conversations", "router"),
        Map.entry("im_groups", "group"), Map.entry("group_members", "group"), Map.entry("group_messages", "group"),
        Map.entry("group_invitations", "group"), Map.entry("message_edits", "router"), Map.entry("reactions", "router"),
        Map.entry("group_message_edits", "group"), Map.entry("group_reactions", "group"),
        Map.entry("group_mentions", "group"));
    assertTrue(owners.entrySet().containsAll(decided.entrySet()), "owners from the migrations: " + owners);
  }

  @Test
  void noModuleNamesATableItDoesNotOwn() {
    Map<String, String> owners = owners();
    List<String> trespasses = new ArrayList<>();
    Map<String, Set<String>> namedBy = new TreeMap<>();
    for (Map.Entry<String, Path> module : modules().entrySet()) {
      for (Path file : mainSources(module.getKey(), module.getValue())) {
        for (String table : tablesIn(file)) {
          namedBy.computeIfAbsent(module.getKey(), k -> new TreeSet<>()).add(table);
          String owner = owners.get(table);
          if (owner != null && !owner.equals(module.getKey())) {
            trespasses.add(module.getKey() + " names " + owner + "'s table " + table + " in "
                + ROOT.relativize(file));
          }
        }
      }
    }
    // The reading finds what each owner does with its own tables, so an empty list means something.
    for (Map.Entry<String, String> e : owners.entrySet()) {
      assertTrue(namedBy.getOrDefault(e.getValue(), Set.of()).contains(e.getKey()),
          e.getValue() + " names its table " + e.getKey() + " somewhere: " + namedBy);
    }
    assertEquals(List.of(), trespasses);
  }

  @Test
  void sqlIsReadAsSqlNotAsWords() {
    String java = """
        /** Reads users FROM users and JOIN blocks. */
        final class X {
          // DELETE FROM contacts
          private static final String COLUMNS = ", b.x AS y FROM ";
          private static final String MSG = "no user named " + "x: a message from users";
          String q = "SELECT a" + COLUMNS + "`im_groups` g JOIN group_members m ON m.gid = g.gid "
              + "WHERE EXISTS (SELECT 1 FROM sb.blocks WHERE x = '\\"FROM inbox\\"')";
          String u = "INSERT INTO inbox_seq (uid) VALUES (?) ON DUPLICATE KEY UPDATE seq = seq + 1";
          String l = "SELECT gid FROM im_groups WHERE gid = ? FOR UPDATE";
          String c = "SELECT 1 FROM users u, user_privacy p WHERE u.id = p.uid";
          char quote = '"';
          String t = \"""
              UPDATE device_cursors SET x = 1\""";
        }
        """;
    Set<String> named = new TreeSet<>();
    SqlTables.ofJavaFile(java).forEach(sql -> named.addAll(SqlTables.named(sql)));
    assertEquals(Set.of("im_groups", "group_members", "blocks", "inbox_seq", "users", "user_privacy",
        "device_cursors"), named);
    assertEquals(Set.of("messages"), SqlTables.named(SqlTables.ofSqlFile(
        "-- FROM users\n/* JOIN blocks */ CREATE TABLE IF NOT EXISTS messages (id BIGINT); # INTO inbox")));
    assertEquals(Set.of("messages", "inbox"), SqlTables.created(
        "CREATE TABLE IF NOT EXISTS messages (id BIGINT);\nCREATE TABLE `inbox` (uid BIGINT);"));
  }

  private static Set<String> tablesIn(Path file) {
    String text = read(file);
    Set<String> tables = new TreeSet<>();
    if (file.toString().endsWith(".sql")) {
      tables.addAll(SqlTables.named(SqlTables.ofSqlFile(text)));
    } else {
      SqlTables.ofJavaFile(text).forEach(sql -> tables.addAll(SqlTables.named(sql)));
    }
    return tables;
  }

  /** Table → the verticle whose {@code sql/<verticle>/} migrations create it (one verticle per table). */
  private static Map<String, String> owners() {
    Map<String, String> owners = new TreeMap<>();
    modules().keySet().forEach(name -> sqlFiles(ROOT.resolve("sql").resolve(name)).forEach(f -> {
      for (String table : SqlTables.created(read(f))) {
        String before = owners.put(table, name);
        assertTrue(before == null || before.equals(name), table + " is created by " + before + " and " + name);
      }
    }));
    return owners;
  }

  /**
   * Every module with main sources: each verticle module by its directory name, and the modules beside the verticles
   * ({@code shared}, {@code launcher}, {@code node}).
   */
  private static Map<String, Path> modules() {
    Map<String, Path> modules = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(ROOT.resolve("verticles"))) {
      dirs.filter(d -> Files.isDirectory(d.resolve("src/main")))
          .forEach(d -> modules.put(d.getFileName().toString(), d));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String other : List.of("shared", "launcher", "node")) {
      modules.put(other, ROOT.resolve(other));
    }
    assertTrue(modules.keySet().containsAll(Set.of("api", "router", "group", "gateway", "bridge", "shared",
            "launcher", "node")),
        modules.toString());
    return modules;
  }

  /** A module's main Java sources and resources, and its migrations when it owns tables ({@code sql/<module>/}). */
  private static List<Path> mainSources(String name, Path module) {
    List<Path> files = new ArrayList<>();
    for (Path root : List.of(module.resolve("src/main/java"), module.resolve("src/main/resources"),
        ROOT.resolve("sql").resolve(name))) {
      if (Files.isDirectory(root)) {
        try (Stream<Path> all = Files.walk(root)) {
          all.filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".sql")).forEach(files::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return files;
  }

  private static List<Path> sqlFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.switchboard.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The gateway's packages depend on each other in one direction only: the verticle on everything, the connection on
 * ops, rooms and groups, those on the session. Read from the sources (imports and qualified names).
 */
class PackageCyclesTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/switchboard/gateway");
  private static final Pattern REFERENCE = Pattern.compile("dev\\.switchboard\\.gateway((?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");

  /** Package (relative to the gateway's, "" for its own) → the gateway packages its sources name. */
  private static Map<String, Set<String>> graph() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SOURCES)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    for (Path file : files) {
      String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
      Set<String> targets = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
      Matcher m = REFERENCE.matcher(Files.readString(file));
      while (m.find()) {
        String target = m.group(1).isEmpty() ? "" : m.group(1).substring(1);
        if (!target.equals(pkg)) {
          targets.add(target);
        }
      }
    }
    return uses;
  }

  @Test
  void noGatewayPackageDependsOnItselfThroughAnother() throws IOException {
    Map<String, Set<String>> uses = graph();
    assertTrue(uses.keySet().containsAll(Set.of("", "connection", "ops", "rooms", "groups", "session")), "" + uses);
    for (String start : uses.keySet()) {
      List<String> cycle = cycleFrom(start, start, uses, new ArrayList<>(List.of(start)), new TreeSet<>());
      assertEquals(List.of(), cycle, "a package cycle through '" + start + "'; dependencies: " + uses);
    }
  }

  /** A path from {@code at} back to {@code start}, or an empty list. */
  private static List<String> cycleFrom(String start, String at, Map<String, Set<String>> uses, List<String> path,
                                        Set<String> seen) {
    for (String next : uses.getOrDefault(at, Set.of())) {
      if (next.equals(start)) {
        List<String> cycle = new ArrayList<>(path);
        cycle.add(start);
        return cycle;
      }
      if (seen.add(next)) {
        path.add(next);
        List<String> found = cycleFrom(start, next, uses, path, seen);
        if (!found.isEmpty()) {
          return found;
        }
        path.remove(path.size() - 1);
      }
    }
    return List.of();
  }
}

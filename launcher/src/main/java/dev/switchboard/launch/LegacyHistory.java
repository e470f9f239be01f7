package dev.switchboard.launch;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The single migration history that came before Flyway: table {@code schema_version (version, name, applied_at)}, one
 * row per applied step V001..V006 of the old {@code sql/} folder. Each step was split between the verticles that own
 * its tables; {@link #baseline} says how far a verticle's own history has got in a database that recorded old steps.
 *
 * <p>The table is only read, never written or dropped: a process still running the old code sees every step done and
 * leaves the schema alone, and racing processes all read the same baselines. An operator may drop it once every
 * verticle's Flyway history exists (docs/architecture.md, Storage).
 */
final class LegacyHistory {
  static final String TABLE = "schema_version";

  /** For each owner, the old step each of its versions carries over: version n came from step {@code get(n - 1)}. */
  private static final Map<String, List<Integer>> CARRIED = Map.of(
      "api", List.of(1, 2, 4, 5),
      "router", List.of(2, 6),
      "group", List.of(3, 5, 6));

  private LegacyHistory() {
  }

  /**
   * The version {@code owner}'s history starts at, given the old steps recorded: its versions up to the first whose old
   * step is missing. 0 when none is recorded (or the owner came after Flyway).
   */
  static int baseline(String owner, Set<Integer> recorded) {
    int version = 0;
    for (int step : CARRIED.getOrDefault(owner, List.of())) {
      if (!recorded.contains(step)) {
        break;
      }
      version++;
    }
    return version;
  }

  /** The old steps {@code connection}'s database recorded; empty when it has no old history table. */
  static Set<Integer> recorded(Connection connection) throws SQLException {
    Set<Integer> steps = new HashSet<>();
    if (!SchemaMigrations.tableExists(connection, TABLE)) {
      return steps;
    }
    try (Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT version FROM " + TABLE)) {
      while (rows.next()) {
        steps.add(rows.getInt(1));
      }
    }
    return steps;
  }
}

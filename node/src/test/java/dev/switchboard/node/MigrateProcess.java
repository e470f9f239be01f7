package dev.switchboard.node;

import dev.switchboard.launch.SchemaMigrations;
import dev.switchboard.shared.config.DbConfig;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A process of its own for {@link SchemaRaceIT}: what a node does with its schemas at start, and nothing else.
 * Arguments: the {@code storage.db} config as JSON. Loads Flyway, prints {@code ready}, waits for a line on standard
 * input, applies every verticle's schema and prints {@code applied <n>}; a failure exits non-zero with its trace on
 * standard error.
 */
final class MigrateProcess {
  private MigrateProcess() {
  }

  public static void main(String[] args) throws Exception {
    DbConfig db = DbConfig.from(new JsonObject(args[0]));
    // Class loading before the start line, so the two processes start migrating as close together as they can.
    Class.forName("org.flywaydb.core.Flyway");
    System.out.println("ready");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if (in.readLine() == null) {
      throw new IllegalStateException("standard input closed before the start line");
    }
    System.out.println("applied " + SchemaMigrations.apply(db, SchemaHistories.ALL));
    System.out.flush();
  }
}

package dev.switchboard.node;

import static dev.switchboard.node.SchemaHistories.ALL;
import static dev.switchboard.node.SchemaHistories.ran;
import static dev.switchboard.node.SchemaHistories.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.ApiVerticle;
import dev.switchboard.group.GroupVerticle;
import dev.switchboard.launch.SchemaMigrations;
import dev.switchboard.router.RouterVerticle;
import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.store.Schema;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two starts at once apply each migration once, from each state a database can be in when they start.
 *
 * <p>MariaDB: two separate JVMs ({@link MigrateProcess}), released together, as two nodes of a cluster starting at the
 * same moment: separate class loaders, connections and Flyway instances, so nothing in one process can serialize them
 * by accident. H2: the embedded file database can be open in one process only (no AUTO_SERVER), so two processes
 * never share it; the test races two Flyway runs on their own connections in one JVM instead.
 */
@ExtendWith(VertxExtension.class)
@Timeout(180)
class SchemaRaceIT {
  /** The database the two starts find, and what they must have applied between them. */
  enum Start {
    /** No table at all. */
    FRESH(SchemaHistories.TOTAL, SchemaHistories.VERSIONS),
    /**
     * As the code before Flyway left it up to its step 5: baselines, then the router's V2 and the group's V3, and the
     * versions added since (router V3-V6, group V4-V7, api V5-V7).
     */
    BEFORE_FLYWAY(13, Map.of(RouterVerticle.SCHEMA, List.of("2", "3", "4", "5", "6"), GroupVerticle.SCHEMA,
        List.of("3", "4", "5", "6", "7"),
        ApiVerticle.SCHEMA, List.of("5", "6", "7"))),
    /** Every history at version 1: an upgrade that brings new versions, under Flyway's own lock. */
    AT_VERSION_1(SchemaHistories.TOTAL - 3, SchemaHistories.VERSIONS);

    final int applied;
    final Map<Schema, List<String>> ran;

    Start(int applied, Map<Schema, List<String>> ran) {
      this.applied = applied;
      this.ran = ran;
    }

    void prepare(Vertx vertx, DbConfig db) throws Exception {
      if (this == BEFORE_FLYWAY) {
        LegacyMigrations.made(vertx, db, 5).close().await(10, TimeUnit.SECONDS);
      } else if (this == AT_VERSION_1) {
        assertEquals(ALL.size(), SchemaMigrations.apply(db, ALL, "1"));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Start.class)
  void twoProcessesOnMariaDbApplyEachMigrationOnce(Start start, Vertx vertx, @TempDir Path tmp) throws Exception {
    try (Backend.Storage storage = Backend.MARIADB.open(vertx)) {
      DbConfig db = SchemaMigrationsIT.db(storage);
      start.prepare(vertx, db);
      String dbJson = storage.config().getJsonObject("db").encode();
      List<Process> processes = new ArrayList<>();
      List<BufferedReader> outs = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          // The child's stdout is this test's protocol ("ready", "applied N"): the JVM's own warnings (it prints them
          // to stdout by default, e.g. when another process holds the hsperfdata file of its pid) go to stderr.
          Process p = new ProcessBuilder(java(), "-XX:-UsePerfData", "-Xlog:disable", "-Xlog:all=warning:stderr",
              "-cp", System.getProperty("java.class.path"), MigrateProcess.class.getName(), dbJson)
              .redirectError(tmp.resolve("stderr-" + i).toFile()).start();
          processes.add(p);
          outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < 2; i++) {
          assertEquals("ready", outs.get(i).readLine(), () -> "process did not start: " + stderr(tmp));
        }
        for (Process p : processes) {
          OutputStream in = p.getOutputStream();
          in.write("go\n".getBytes(StandardCharsets.UTF_8));
          in.flush();
        }
        int applied = 0;
        for (int i = 0; i < 2; i++) {
          String line = outs.get(i).readLine();
          assertTrue(line != null && line.startsWith("applied "), () -> "process failed: " + stderr(tmp));
          applied += Integer.parseInt(line.substring("applied ".length()));
          assertTrue(processes.get(i).waitFor(60, TimeUnit.SECONDS));
          assertEquals(0, processes.get(i).exitValue(), () -> stderr(tmp));
        }
        assertEquals(start.applied, applied, "each migration ran in one of the two processes");
      } finally {
        processes.forEach(Process::destroyForcibly);
      }
      assertHistories(vertx, db, start);
    }
  }

  @ParameterizedTest
  @EnumSource(Start.class)
  void twoRunsInOneJvmOnH2ApplyEachMigrationOnce(Start start, Vertx vertx) throws Exception {
    try (Backend.Storage storage = Backend.EMBEDDED.open(vertx)) {
      DbConfig db = SchemaMigrationsIT.db(storage);
      start.prepare(vertx, db);
      CountDownLatch gate = new CountDownLatch(1);
      Callable<Integer> run = () -> {
        gate.await();
        return SchemaMigrations.apply(db, ALL);
      };
      ExecutorService threads = Executors.newFixedThreadPool(2);
      try {
        Future<Integer> first = threads.submit(run);
        Future<Integer> second = threads.submit(run);
        gate.countDown();
        assertEquals(start.applied, first.get(60, TimeUnit.SECONDS) + second.get(60, TimeUnit.SECONDS),
            "each migration ran in one of the two runs");
      } finally {
        // Not shutdownNow: an interrupt closes H2's file channel under the other run.
        threads.shutdown();
        assertTrue(threads.awaitTermination(60, TimeUnit.SECONDS));
      }
      assertHistories(vertx, db, start);
    }
  }

  /** Each history records each version at most once, all successful, and at most one baseline. */
  private static void assertHistories(Vertx vertx, DbConfig db, Start start) throws Exception {
    Pool pool = Database.pool(vertx, db);
    try {
      for (Schema schema : ALL) {
        String history = schema.historyTable();
        assertEquals(start.ran.get(schema), ran(pool, schema), history);
        assertTrue(rows(pool, schema).stream().filter(r -> r.startsWith("BASELINE")).count() <= 1, history);
      }
    } finally {
      pool.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String stderr(Path tmp) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 2; i++) {
      try {
        out.append("\n--- process ").append(i).append(":\n").append(Files.readString(tmp.resolve("stderr-" + i)));
      } catch (java.io.IOException e) {
        out.append("\n--- process ").append(i).append(": no stderr (").append(e.getMessage()).append(')');
      }
    }
    return out.toString();
  }
}

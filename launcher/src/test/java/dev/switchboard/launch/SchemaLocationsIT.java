package dev.switchboard.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.store.Schema;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which folders a schema's migrations come from, on each backend (the sample owner lives in the test resources). */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class SchemaLocationsIT {
  @ParameterizedTest
  @EnumSource(Backend.class)
  void theCommonFolderAndTheVendorsOwnRun(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = backend.open(vertx)) {
      DbConfig db = DbConfig.from(storage.config().getJsonObject("db"));
      assertEquals(2, SchemaMigrations.apply(db, List.of(new Schema("sample"))));
      assertEquals(0, SchemaMigrations.apply(db, List.of(new Schema("sample"))));
      Pool pool = Database.pool(vertx, db);
      try {
        String ran = pool.query("SELECT note FROM sample_notes WHERE id = 2").execute().await(10, TimeUnit.SECONDS)
            .iterator().next().getString("note");
        assertEquals(backend == Backend.EMBEDDED ? "h2" : "mariadb", ran);
        long history = pool.query("SELECT COUNT(*) AS n FROM flyway_sample_history WHERE version IS NOT NULL")
            .execute().await(10, TimeUnit.SECONDS).iterator().next().getLong("n");
        assertEquals(2L, history, "the owner's own history table records both versions");
      } finally {
        pool.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void anOwnerWithoutMigrationsOnTheClasspathFailsTheStart(Backend backend, Vertx vertx) {
    try (Backend.Storage storage = backend.open(vertx)) {
      DbConfig db = DbConfig.from(storage.config().getJsonObject("db"));
      assertThrows(FlywayException.class, () -> SchemaMigrations.apply(db, List.of(new Schema("nosuchowner"))));
    }
  }
}

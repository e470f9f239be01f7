package dev.switchboard.launch;

import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.store.Schema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * Applies the migrations of the verticles a process deploys, before it deploys them: Flyway, one {@link Schema} at a
 * time, each recorded in its owner's history table and applied under Flyway's lock on that table, so processes starting
 * at once apply each migration once.
 *
 * <p>The vendor ({@code mysql}, {@code mariadb}, {@code h2}) is read from the connection and picks the vendor folder
 * of each schema. A verticle whose history table is missing is started under a {@link FirstStartLock}: when the old
 * single history ({@link LegacyHistory}) shows its tables were made by the code before Flyway, its history is baselined
 * at the version that matches, and only newer versions run; otherwise every version runs (with a baseline marker at
 * version 0 when other verticles' tables are already there, since Flyway only creates a history unasked in an empty
 * schema).
 *
 * <p>Blocking (JDBC): call from a worker, never from an event loop. Failures are thrown as they come: a node that
 * cannot bring its schemas up to date does not start.
 */
public final class SchemaMigrations {
  private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());

  private SchemaMigrations() {
  }

  /** Applies what is missing of each of {@code schemas}, in order; returns how many migrations ran now. */
  public static int apply(DbConfig db, List<Schema> schemas) throws SQLException {
    return apply(db, schemas, null);
  }

  /**
   * As {@link #apply(DbConfig, List)}, but each schema only up to version {@code target} (null: all). Tests use it to
   * make a database as an older release left it.
   */
  public static int apply(DbConfig db, List<Schema> schemas, String target) throws SQLException {
    DataSource source = dataSource(db);
    String vendor;
    try (Connection connection = source.getConnection()) {
      vendor = vendor(connection.getMetaData().getDatabaseProductName());
    }
    String lockKey = db.embedded() ? Database.jdbcUrl(db) : db.database();
    int applied = 0;
    for (Schema schema : schemas) {
      applied += apply(source, vendor, lockKey, schema, target);
    }
    return applied;
  }

  private static int apply(DataSource source, String vendor, String lockKey, Schema schema, String target)
      throws SQLException {
    try (Connection connection = source.getConnection()) {
      if (tableExists(connection, schema.historyTable())) {
        return migrate(configure(source, vendor, schema, target), schema);
      }
    }
    try (FirstStartLock lock = FirstStartLock.acquire(source, vendor, lockKey)) {
      int baseline;
      try (Connection connection = source.getConnection()) {
        baseline = LegacyHistory.baseline(schema.owner(), LegacyHistory.recorded(connection));
      }
      if (baseline > 0) {
        LOG.info(schema.owner() + ": tables made before Flyway (" + LegacyHistory.TABLE + "); history "
            + schema.historyTable() + " starts at version " + baseline);
      }
      // Ignored by Flyway once the history exists (another process made it while this one waited for the lock).
      FluentConfiguration config = configure(source, vendor, schema, target).baselineOnMigrate(true)
          .baselineVersion(String.valueOf(baseline))
          .baselineDescription(baseline > 0 ? "carried over from " + LegacyHistory.TABLE : "begun beside other tables");
      return migrate(config, schema);
    }
  }

  private static int migrate(FluentConfiguration config, Schema schema) {
    MigrateResult result = config.load().migrate();
    if (result.migrationsExecuted > 0) {
      LOG.info(schema.owner() + ": applied " + result.migrationsExecuted + " migration(s), now at version "
          + result.targetSchemaVersion);
    }
    return result.migrationsExecuted;
  }

  private static FluentConfiguration configure(DataSource source, String vendor, Schema schema, String target) {
    ClassLoader loader = SchemaMigrations.class.getClassLoader();
    List<String> locations = new ArrayList<>(List.of("classpath:" + schema.commonLocation()));
    if (loader.getResource(schema.vendorLocation(vendor)) != null) {
      locations.add("classpath:" + schema.vendorLocation(vendor));
    }
    FluentConfiguration config = Flyway.configure(loader).dataSource(source).table(schema.historyTable())
        .locations(locations.toArray(String[]::new)).failOnMissingLocations(true);
    return target == null ? config : config.target(target);
  }

  /** Our name for the vendor behind a JDBC product name: the folder its variant migrations are in. */
  static String vendor(String productName) {
    return switch (productName) {
      case "H2" -> "h2";
      case "MariaDB" -> "mariadb";
      case "MySQL" -> "mysql";
      default -> throw new IllegalStateException("unsupported database " + productName);
    };
  }

  /** Whether table {@code name} exists in the connection's current schema (database, on MySQL/MariaDB). */
  static boolean tableExists(Connection connection, String name) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = SCHEMA() AND table_name = ?")) {
      statement.setString(1, name);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() && row.getInt(1) > 0;
      }
    }
  }

  private static DataSource dataSource(DbConfig db) throws SQLException {
    if (db.embedded()) {
      return Database.embeddedDataSource(db);
    }
    MariaDbDataSource source = new MariaDbDataSource(Database.jdbcUrl(db));
    source.setUser(db.user());
    source.setPassword(db.password());
    return source;
  }
}

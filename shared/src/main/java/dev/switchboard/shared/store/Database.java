package dev.switchboard.shared.store;

import dev.switchboard.shared.config.DbConfig;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The relational store: one {@link Pool} over MySQL/MariaDB (Vert.x MySQL client) or the embedded H2 file database in
 * MySQL mode (Vert.x JDBC client). Both run the same SQL; the differences we rely on not to hit are listed in
 * docs/architecture.md.
 */
public final class Database {
  /** H2 settings that make it accept and answer our MySQL-dialect SQL like MariaDB does. */
  static final String H2_MODE = ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;IGNORECASE=TRUE;NON_KEYWORDS=USER,VALUE"
      // A commit reaches the file before the ack: a killed process loses nothing that was acknowledged.
      + ";WRITE_DELAY=0";

  private Database() {
  }

  /**
   * A pool for {@code config}. Pools are shared by name within a Vert.x instance, so every verticle that asks for the
   * same database gets the same connections.
   */
  public static Pool pool(Vertx vertx, DbConfig config) {
    PoolOptions poolOptions = new PoolOptions().setMaxSize(config.poolSize()).setShared(true)
        .setName("switchboard-" + config.kind() + "-" + config.host() + ":" + config.port() + "/" + config.database()
            + "@" + config.path())
        .setMaxWaitQueueSize(100_000);
    if (config.embedded()) {
      return JDBCPool.pool(vertx, new AutoCommitRestoringDataSource(embeddedDataSource(config)), poolOptions);
    }
    MySQLConnectOptions options = new MySQLConnectOptions().setHost(config.host()).setPort(config.port())
        .setDatabase(config.database()).setUser(config.user()).setPassword(config.password())
        .setCachePreparedStatements(true).setPipeliningLimit(64)
        // Multi-row statements are long; cache them too (their texts are few: see the router's SqlChunks).
        .setPreparedStatementCacheSqlLimit(64 * 1024).setPreparedStatementCacheMaxSize(512);
    return MySQLBuilder.pool().with(poolOptions).connectingTo(options).using(vertx).build();
  }

  /** The embedded H2 file database of {@code config} as a plain JDBC data source (the pool wraps the same). */
  public static JdbcDataSource embeddedDataSource(DbConfig config) {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL(jdbcUrl(config));
    h2.setUser("sa");
    h2.setPassword("");
    return h2;
  }

  /**
   * The JDBC URL of the database {@code config} names, for what talks JDBC rather than through the pool (the
   * launcher's schema migrations): the H2 file with the same settings as the pool, or MariaDB Connector/J's URL for
   * MySQL and MariaDB. Connector/J asks a MySQL 8 server for its RSA key when a caching_sha2_password login needs it
   * over plain TCP, as the pool's Vert.x client does.
   */
  public static String jdbcUrl(DbConfig config) {
    if (config.embedded()) {
      return "jdbc:h2:file:" + Path.of(config.path()).toAbsolutePath().normalize() + H2_MODE;
    }
    return "jdbc:mariadb://" + config.host() + ":" + config.port() + "/" + config.database()
        + "?allowPublicKeyRetrieval=true";
  }
}

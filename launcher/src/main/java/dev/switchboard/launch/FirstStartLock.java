package dev.switchboard.launch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Held while a verticle's Flyway history table is created. Flyway locks its history table while it migrates, but
 * decides whether to create that table, and with which baseline, before it holds the lock: two processes creating
 * the same history at once can each see the other's half-made table and fail ("already exists, and is empty"). So
 * creation is one process at a time: on MySQL/MariaDB under a named lock ({@code GET_LOCK}; names are server-wide, so
 * this one carries the database's), on the embedded H2 file, which only one process can open, under a lock in this
 * JVM. Once a history exists, starts take only Flyway's own lock. Blocking: call from a worker.
 */
final class FirstStartLock implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(FirstStartLock.class.getName());
  private static final Map<String, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();
  private static final int WAIT_SECONDS = 10;
  private static final int MAX_WAITS = 60;

  private final Connection connection;
  private final String name;
  private final ReentrantLock inJvm;

  private FirstStartLock(Connection connection, String name, ReentrantLock inJvm) {
    this.connection = connection;
    this.name = name;
    this.inJvm = inJvm;
  }

  /**
   * Waits for the lock of database {@code key} (its name on MySQL/MariaDB, its JDBC URL for H2), for at most ten
   * minutes, then fails: another process that long in a first start is stuck.
   */
  static FirstStartLock acquire(DataSource source, String vendor, String key) throws SQLException {
    if (vendor.equals("h2")) {
      ReentrantLock lock = IN_JVM.computeIfAbsent(key, k -> new ReentrantLock());
      lock.lock();
      return new FirstStartLock(null, key, lock);
    }
    String name = lockName(key);
    Connection connection = source.getConnection();
    try {
      for (int wait = 0; wait < MAX_WAITS; wait++) {
        if (tryLock(connection, name)) {
          return new FirstStartLock(connection, name, null);
        }
        if (wait == 0) {
          LOG.info("waiting for another process to create its schema history (lock " + name + ")");
        }
      }
      throw new SQLException("lock " + name + " still held after " + WAIT_SECONDS * MAX_WAITS + " s");
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** {@code GET_LOCK} names are at most 64 characters; a long database name is replaced by its hash. */
  static String lockName(String database) {
    String name = "switchboard-schema:" + database;
    if (name.length() <= 64) {
      return name;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(database.getBytes(StandardCharsets.UTF_8));
      return "switchboard-schema:" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean tryLock(Connection connection, String name) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT GET_LOCK(?, " + WAIT_SECONDS + ")")) {
      statement.setString(1, name);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        int got = row.getInt(1);
        if (row.wasNull()) {
          throw new SQLException("GET_LOCK('" + name + "') failed");
        }
        return got == 1;
      }
    }
  }

  @Override
  public void close() throws SQLException {
    if (inJvm != null) {
      inJvm.unlock();
      return;
    }
    // Closing the session releases the lock too; releasing first says so explicitly.
    try (connection; PreparedStatement statement = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
      statement.setString(1, name);
      statement.executeQuery().close();
    }
  }
}

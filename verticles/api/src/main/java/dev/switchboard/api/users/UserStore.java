package dev.switchboard.api.users;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/** Accounts in the relational store. Futures complete on the caller's context. */
public final class UserStore {
  /** A stored account. */
  public record User(long uid, String username, String passwordHash) {
  }

  private final Pool pool;

  public UserStore(Pool pool) {
    this.pool = pool;
  }

  /** Creates the user; completes with its uid, or with null when the username is taken. */
  public Future<Long> create(String username, String passwordHash) {
    // INSERT IGNORE + a lookup instead of generated keys: the two drivers return those differently.
    return pool.preparedQuery("INSERT IGNORE INTO users (username, password_hash, created_at) VALUES (?, ?, ?)")
        .execute(Tuple.of(username, passwordHash, System.currentTimeMillis()))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(null)
            : find(username).map(u -> u == null ? null : u.uid()));
  }

  /** The user with this (lower-case) username, or null. */
  public Future<User> find(String username) {
    return pool.preparedQuery("SELECT id, username, password_hash FROM users WHERE username = ?")
        .execute(Tuple.of(username))
        .map(UserStore::first);
  }

  private static User first(RowSet<Row> rows) {
    for (Row r : rows) {
      return new User(r.getLong("id"), r.getString("username"), r.getString("password_hash"));
    }
    return null;
  }
}

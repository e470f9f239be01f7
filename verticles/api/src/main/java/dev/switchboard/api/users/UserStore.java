package dev.switchboard.api.users;

import dev.switchboard.protocol.contract.UserInfo;
import dev.switchboard.shared.privacy.GroupAdd;
import dev.switchboard.shared.store.Dialect;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
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
  private final Dialect dialect;

  public UserStore(Pool pool, Dialect dialect) {
    this.dialect = dialect;
    this.pool = pool;
  }

  /** Creates the user; completes with its uid, or with null when the username is taken. */
  public Future<Long> create(String username, String passwordHash) {
    return create(username, passwordHash, "user", null);
  }

  /**
   * Creates a user of {@code kind} ({@code user} or {@code bot}); completes with its uid, or with null when the
   * username is taken.
   */
  public Future<Long> create(String username, String passwordHash, String kind, String nickname) {
    // INSERT IGNORE + a lookup instead of generated keys: the two drivers return those differently.
    return pool.preparedQuery(dialect.insertIgnore("users") + " (username, password_hash, kind, nickname, created_at) "
            + "VALUES (?, ?, ?, ?, ?)")
        .execute(Tuple.of(username, passwordHash, kind, nickname, System.currentTimeMillis()))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(null)
            : find(username).map(u -> u == null ? null : u.uid()));
  }

  /** The user with this (lower-case) username, or null. */
  public Future<User> find(String username) {
    return pool.preparedQuery("SELECT id, username, password_hash FROM users WHERE username = ?")
        .execute(Tuple.of(username))
        .map(UserStore::first);
  }

  /** The id, username and kind of the user with this (lower-case) username, or null. */
  public Future<UserInfo> info(String username) {
    return pool.preparedQuery("SELECT id, username, kind FROM users WHERE username = ?").execute(Tuple.of(username))
        .map(rows -> {
          for (Row r : rows) {
            return new UserInfo(r.getLong("id"), r.getString("username"), r.getString("kind"));
          }
          return null;
        });
  }

  /** The user with this uid, or null. */
  public Future<User> find(long uid) {
    return pool.preparedQuery("SELECT id, username, password_hash FROM users WHERE id = ?")
        .execute(Tuple.of(uid))
        .map(UserStore::first);
  }

  /** Replaces the user's password hash. */
  public Future<Void> setPasswordHash(long uid, String passwordHash) {
    return pool.preparedQuery("UPDATE users SET password_hash = ? WHERE id = ?")
        .execute(Tuple.of(passwordHash, uid)).mapEmpty();
  }

  /**
   * Replaces the password hash of {@code uid} with {@code upgraded} if it is still {@code current} (a concurrent
   * change wins). Completes once written.
   */
  public Future<Void> upgradePasswordHash(long uid, String current, String upgraded) {
    return pool.preparedQuery("UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?")
        .execute(Tuple.of(upgraded, uid, current)).mapEmpty();
  }

  private static User first(RowSet<Row> rows) {
    for (Row r : rows) {
      return new User(r.getLong("id"), r.getString("username"), r.getString("password_hash"));
    }
    return null;
  }

  private static final String PROFILE = "SELECT u.id, u.username, u.nickname, u.kind, u.created_at, p.avatar "
      + "FROM users u LEFT JOIN user_profiles p ON p.uid = u.id ";

  /** {@code {uid, username, nickname, avatar, kind, createdAt}}, or null when there is no such user. */
  public Future<JsonObject> profile(long uid) {
    return pool.preparedQuery(PROFILE + "WHERE u.id = ?").execute(Tuple.of(uid)).map(rows -> {
      for (Row r : rows) {
        return profile(r);
      }
      return null;
    });
  }

  /** The profiles of {@code uids} that exist, by uid. */
  public Future<java.util.Map<Long, JsonObject>> profiles(java.util.List<Long> uids) {
    if (uids.isEmpty()) {
      return Future.succeededFuture(java.util.Map.of());
    }
    String marks = String.join(", ", java.util.Collections.nCopies(uids.size(), "?"));
    return pool.preparedQuery(PROFILE + "WHERE u.id IN (" + marks + ")").execute(Tuple.tuple(new java.util.ArrayList<>(uids)))
        .map(rows -> {
          java.util.Map<Long, JsonObject> out = new java.util.HashMap<>();
          rows.forEach(r -> out.put(r.getLong("id"), profile(r)));
          return out;
        });
  }

  static JsonObject profile(Row r) {
    return new JsonObject().put("uid", r.getLong("id")).put("username", r.getString("username"))
        .put("nickname", r.getString("nickname")).put("avatar", r.getString("avatar"))
        .put("kind", r.getString("kind")).put("createdAt", r.getLong("created_at"));
  }

  /** Sets the nickname and the avatar URL (null clears one); fields absent from {@code changes} stay as they are. */
  public Future<Void> updateProfile(long uid, JsonObject changes) {
    Future<?> nick = !changes.containsKey("nickname") ? Future.succeededFuture()
        : pool.preparedQuery("UPDATE users SET nickname = ? WHERE id = ?")
            .execute(Tuple.of(changes.getString("nickname"), uid));
    return nick.compose(v -> !changes.containsKey("avatar") ? Future.succeededFuture()
        : pool.preparedQuery("INSERT INTO user_profiles (uid, avatar, updated_at) VALUES (?, ?, ?)"
            + dialect.onDuplicateKey(dialect.overwrite("avatar", "updated_at")))
            .execute(Tuple.of(uid, changes.getString("avatar"), System.currentTimeMillis()))).mapEmpty();
  }

  /** The user's {@code groupAdd} setting (the default when they never set it). */
  public Future<GroupAdd> groupAdd(long uid) {
    return pool.preparedQuery("SELECT group_add FROM user_privacy WHERE uid = ?").execute(Tuple.of(uid))
        .map(rows -> {
          for (Row r : rows) {
            return GroupAdd.of(r.getInteger("group_add"));
          }
          return GroupAdd.EVERYONE;
        });
  }

  public Future<Void> setGroupAdd(long uid, GroupAdd setting) {
    return pool.preparedQuery("INSERT INTO user_privacy (uid, group_add, updated_at) VALUES (?, ?, ?)"
            + dialect.onDuplicateKey(dialect.overwrite("group_add", "updated_at")))
        .execute(Tuple.of(uid, setting.code(), System.currentTimeMillis())).mapEmpty();
  }

  /** Users whose username starts with {@code prefix}, by username after {@code after}; one more row than asked. */
  public Future<RowSet<Row>> search(String prefix, String after, int limit) {
    return pool.preparedQuery(PROFILE + "WHERE u.username LIKE ? AND u.username > ? ORDER BY u.username LIMIT ?")
        .execute(Tuple.of(prefix.replace("_", "\\_") + "%", after, limit + 1));
  }
}

package dev.switchboard.api.store;

import dev.switchboard.protocol.contract.UserInfo;
import dev.switchboard.api.presence.LastSeen;
import dev.switchboard.shared.privacy.GroupAdd;
import dev.switchboard.shared.store.Dialect;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link UserStore} on the relational store (MariaDB/MySQL or H2), through {@code pool}. */
public final class SqlUserStore implements UserStore {
  private static final String PROFILE = "SELECT u.id, u.username, u.nickname, u.kind, u.created_at, p.avatar "
      + "FROM users u LEFT JOIN user_profiles p ON p.uid = u.id ";

  private static final String USER = "SELECT id, username, password_hash, banned_at, deleted_at FROM users ";

  private final Pool pool;
  private final Dialect dialect;

  public SqlUserStore(Pool pool, Dialect dialect) {
    this.dialect = dialect;
    this.pool = pool;
  }

  @Override
  public Future<Long> create(String username, String passwordHash, String kind, String nickname) {
    // INSERT IGNORE + a lookup instead of generated keys: the two drivers return those differently.
    return pool.preparedQuery(dialect.insertIgnore("users") + " (username, password_hash, kind, nickname, created_at) "
            + "VALUES (?, ?, ?, ?, ?)")
        .execute(Tuple.of(username, passwordHash, kind, nickname, System.currentTimeMillis()))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(null)
            : find(username).map(u -> u == null ? null : u.uid()));
  }

  @Override
  public Future<User> find(String username) {
    return pool.preparedQuery(USER + "WHERE username = ?")
        .execute(Tuple.of(username))
        .map(SqlUserStore::first);
  }

  @Override
  public Future<User> find(long uid) {
    return pool.preparedQuery(USER + "WHERE id = ?")
        .execute(Tuple.of(uid))
        .map(SqlUserStore::first);
  }

  @Override
  public Future<UserInfo> info(String username) {
    return pool.preparedQuery("SELECT id, username, kind FROM users WHERE username = ?").execute(Tuple.of(username))
        .map(rows -> {
          for (Row r : rows) {
            return new UserInfo(r.getLong("id"), r.getString("username"), r.getString("kind"));
          }
          return null;
        });
  }

  @Override
  public Future<Void> setPasswordHash(long uid, String passwordHash) {
    return pool.preparedQuery("UPDATE users SET password_hash = ? WHERE id = ?")
        .execute(Tuple.of(passwordHash, uid)).mapEmpty();
  }

  @Override
  public Future<Void> upgradePasswordHash(long uid, String current, String upgraded) {
    return pool.preparedQuery("UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?")
        .execute(Tuple.of(upgraded, uid, current)).mapEmpty();
  }

  private static User first(RowSet<Row> rows) {
    for (Row r : rows) {
      return new User(r.getLong("id"), r.getString("username"), r.getString("password_hash"),
          r.getLong("banned_at") != null, r.getLong("deleted_at") != null);
    }
    return null;
  }

  @Override
  public Future<Profile> profile(long uid) {
    return pool.preparedQuery(PROFILE + "WHERE u.id = ?").execute(Tuple.of(uid)).map(rows -> {
      for (Row r : rows) {
        return profile(r);
      }
      return null;
    });
  }

  @Override
  public Future<Map<Long, Profile>> profiles(List<Long> uids) {
    if (uids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    String marks = String.join(", ", Collections.nCopies(uids.size(), "?"));
    return pool.preparedQuery(PROFILE + "WHERE u.id IN (" + marks + ")").execute(Tuple.tuple(new ArrayList<>(uids)))
        .map(rows -> {
          Map<Long, Profile> out = new HashMap<>();
          rows.forEach(r -> out.put(r.getLong("id"), profile(r)));
          return out;
        });
  }

  @Override
  public Future<List<Profile>> search(String prefix, String after, int limit) {
    return pool.preparedQuery(PROFILE + "WHERE u.username LIKE ? AND u.username > ? ORDER BY u.username LIMIT ?")
        .execute(Tuple.of(prefix.replace("_", "\\_") + "%", after, limit + 1))
        .map(rows -> {
          List<Profile> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(profile(r)));
          return out;
        });
  }

  private static Profile profile(Row r) {
    return new Profile(r.getLong("id"), r.getString("username"), r.getString("nickname"), r.getString("avatar"),
        r.getString("kind"), r.getLong("created_at"));
  }

  @Override
  public Future<Void> setNickname(long uid, String nickname) {
    return pool.preparedQuery("UPDATE users SET nickname = ? WHERE id = ?").execute(Tuple.of(nickname, uid))
        .mapEmpty();
  }

  @Override
  public Future<Void> setAvatar(long uid, String avatar) {
    return pool.preparedQuery("INSERT INTO user_profiles (uid, avatar, updated_at) VALUES (?, ?, ?)"
            + dialect.onDuplicateKey(dialect.overwrite("avatar", "updated_at")))
        .execute(Tuple.of(uid, avatar, System.currentTimeMillis())).mapEmpty();
  }

  @Override
  public Future<GroupAdd> groupAdd(long uid) {
    return pool.preparedQuery("SELECT group_add FROM user_privacy WHERE uid = ?").execute(Tuple.of(uid))
        .map(rows -> {
          for (Row r : rows) {
            return GroupAdd.of(r.getInteger("group_add"));
          }
          return GroupAdd.EVERYONE;
        });
  }

  @Override
  public Future<Void> setGroupAdd(long uid, GroupAdd setting) {
    return pool.preparedQuery("INSERT INTO user_privacy (uid, group_add, updated_at) VALUES (?, ?, ?)"
            + dialect.onDuplicateKey(dialect.overwrite("group_add", "updated_at")))
        .execute(Tuple.of(uid, setting.code(), System.currentTimeMillis())).mapEmpty();
  }

  @Override
  public Future<LastSeen> lastSeenSetting(long uid) {
    return pool.preparedQuery("SELECT last_seen FROM user_privacy WHERE uid = ?").execute(Tuple.of(uid))
        .map(rows -> {
          for (Row r : rows) {
            return LastSeen.of(r.getInteger("last_seen"));
          }
          return LastSeen.EVERYONE;
        });
  }

  @Override
  public Future<Void> setLastSeenSetting(long uid, LastSeen setting) {
    // A new row keeps the groupAdd default (everyone, 0).
    return pool.preparedQuery("INSERT INTO user_privacy (uid, group_add, last_seen, updated_at) VALUES (?, 0, ?, ?)"
            + dialect.onDuplicateKey(dialect.overwrite("last_seen", "updated_at")))
        .execute(Tuple.of(uid, setting.code(), System.currentTimeMillis())).mapEmpty();
  }

  @Override
  public Future<Void> setLastSeen(long uid, long at) {
    return pool.preparedQuery("INSERT INTO user_last_seen (uid, seen_at) VALUES (?, ?)"
            + dialect.onDuplicateKey(dialect.overwrite("seen_at")))
        .execute(Tuple.of(uid, at)).mapEmpty();
  }

  @Override
  public Future<Map<Long, Seen>> lastSeen(List<Long> uids) {
    if (uids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    String marks = String.join(", ", Collections.nCopies(uids.size(), "?"));
    return pool.preparedQuery("SELECT u.id, p.last_seen, s.seen_at FROM users u "
            + "LEFT JOIN user_privacy p ON p.uid = u.id LEFT JOIN user_last_seen s ON s.uid = u.id "
            + "WHERE u.id IN (" + marks + ")").execute(Tuple.tuple(new ArrayList<>(uids)))
        .map(rows -> {
          Map<Long, Seen> out = new HashMap<>();
          rows.forEach(r -> {
            Integer setting = r.getInteger("last_seen");
            out.put(r.getLong("id"), new Seen(setting == null ? LastSeen.EVERYONE : LastSeen.of(setting),
                r.getLong("seen_at")));
          });
          return out;
        });
  }

  @Override
  public Future<Boolean> setBanned(long uid, Long at) {
    return pool.preparedQuery("UPDATE users SET banned_at = ? WHERE id = ?").execute(Tuple.of(at, uid))
        .compose(rows -> rows.rowCount() > 0 ? Future.succeededFuture(true)
            : find(uid).map(u -> u != null));
  }

  @Override
  public Future<Boolean> delete(long uid) {
    // An unusable password hash: no password matches it (PasswordHashing reads only its own formats).
    return pool.withTransaction(conn -> conn.preparedQuery("UPDATE users SET username = ?, nickname = NULL, "
            + "password_hash = '!', deleted_at = ? WHERE id = ? AND deleted_at IS NULL")
        .execute(Tuple.of("deleted-" + uid, System.currentTimeMillis(), uid))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false)
            : conn.preparedQuery("DELETE FROM user_profiles WHERE uid = ?").execute(Tuple.of(uid))
                .compose(v -> conn.preparedQuery("DELETE FROM user_privacy WHERE uid = ?").execute(Tuple.of(uid)))
                .compose(v -> conn.preparedQuery("DELETE FROM user_last_seen WHERE uid = ?").execute(Tuple.of(uid)))
                .map(true)));
  }
}

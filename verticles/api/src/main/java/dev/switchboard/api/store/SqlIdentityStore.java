package dev.switchboard.api.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.HexFormat;

/** {@link IdentityStore} on the relational store, through {@code pool}. */
public final class SqlIdentityStore implements IdentityStore {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String FIND = "SELECT uid FROM external_identities WHERE issuer = ? AND external_id = ?";

  private final Pool pool;

  public SqlIdentityStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Resolved> resolve(String issuer, String externalId, String name, String avatar) {
    return find(issuer, externalId).compose(uid -> uid != null ? Future.succeededFuture(new Resolved(uid, false))
        : pool.withTransaction(conn -> create(conn, issuer, externalId, name, avatar))
            // A concurrent first use made the mapping first (this transaction hit its key and rolled back): use it.
            .recover(t -> find(issuer, externalId).compose(winner -> winner == null ? Future.failedFuture(t)
                : Future.succeededFuture(new Resolved(winner, false)))));
  }

  private Future<Resolved> create(SqlConnection conn, String issuer, String externalId, String name, String avatar) {
    // App users get a username no registration can take ('~' is outside the username alphabet).
    String username = "~" + HexFormat.of().formatHex(bytes());
    long now = System.currentTimeMillis();
    return conn.preparedQuery("INSERT INTO users (username, password_hash, kind, nickname, created_at) "
            + "VALUES (?, '!', 'user', ?, ?)").execute(Tuple.of(username, name, now))
        .compose(v -> conn.preparedQuery("SELECT id FROM users WHERE username = ?").execute(Tuple.of(username)))
        .compose(rows -> {
          long uid = rows.iterator().next().getLong("id");
          Future<?> profile = avatar == null ? Future.succeededFuture()
              : conn.preparedQuery("INSERT INTO user_profiles (uid, avatar, updated_at) VALUES (?, ?, ?)")
                  .execute(Tuple.of(uid, avatar, now));
          return profile.compose(v -> conn.preparedQuery("INSERT INTO external_identities "
                  + "(issuer, external_id, uid, created_at) VALUES (?, ?, ?, ?)")
              .execute(Tuple.of(issuer, externalId, uid, now))).map(new Resolved(uid, true));
        });
  }

  private static byte[] bytes() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return b;
  }

  private Future<Long> find(String issuer, String externalId) {
    return pool.preparedQuery(FIND).execute(Tuple.of(issuer, externalId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong("uid"));
  }

  @Override
  public Future<String[]> externalId(long uid) {
    return pool.preparedQuery("SELECT issuer, external_id FROM external_identities WHERE uid = ?")
        .execute(Tuple.of(uid)).map(rows -> {
          for (Row r : rows) {
            return new String[] {r.getString("issuer"), r.getString("external_id")};
          }
          return null;
        });
  }

  @Override
  public Future<Void> forget(long uid) {
    return pool.preparedQuery("DELETE FROM external_identities WHERE uid = ?").execute(Tuple.of(uid)).mapEmpty();
  }
}

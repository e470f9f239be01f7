package dev.switchboard.group.store;

import dev.switchboard.shared.store.Dialect;
import dev.switchboard.shared.store.SqlChunks;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link InvitationStore} on the relational pool, keeping at most {@code max} invitations per user. The group changes
 * of {@link SqlGroupStore} make and use up invitations through the package's methods, inside their own transactions.
 */
public final class SqlInvitationStore implements InvitationStore {
  private static final String UPSERT_HEAD = "INSERT INTO group_invitations (uid, gid, inviter, created_at) VALUES ";
  private static final String COUNT_HEAD = "SELECT uid, COUNT(*) AS n FROM group_invitations WHERE uid IN (";
  private static final String OLDEST = "SELECT gid FROM group_invitations WHERE uid = ? ORDER BY created_at, gid "
      + "LIMIT ?";
  private static final String LOCK = "SELECT inviter FROM group_invitations WHERE uid = ? AND gid = ? FOR UPDATE";
  private static final String DELETE = "DELETE FROM group_invitations WHERE uid = ? AND gid = ?";
  private static final String DELETE_HEAD = "DELETE FROM group_invitations WHERE (uid, gid) IN (";
  private static final String DELETE_GROUP = "DELETE FROM group_invitations WHERE gid = ?";
  private static final String PENDING = "SELECT i.gid, i.inviter, i.created_at, g.name, "
      + "(SELECT COUNT(*) FROM group_members c WHERE c.gid = i.gid) AS members "
      + "FROM group_invitations i JOIN im_groups g ON g.gid = i.gid "
      + "WHERE i.uid = ? AND g.dissolved = 0 ORDER BY i.created_at DESC, i.gid DESC";

  private final Pool pool;
  private final Dialect dialect;
  private final int max;

  public SqlInvitationStore(Pool pool, Dialect dialect, int max) {
    this.pool = pool;
    this.dialect = dialect;
    this.max = max;
  }

  @Override
  public Future<List<Invitation>> pending(long uid) {
    return pool.preparedQuery(PENDING).execute(Tuple.of(uid)).map(rows -> {
      List<Invitation> all = new ArrayList<>(rows.size());
      rows.forEach(r -> all.add(new Invitation(r.getLong("gid"), r.getString("name"), r.getLong("inviter"),
          r.getLong("created_at"), r.getLong("members"))));
      return all;
    });
  }

  @Override
  public Future<Boolean> decline(long uid, long gid) {
    return pool.withTransaction(conn -> take(conn, uid, gid).map(inviter -> inviter != null));
  }

  /** Records (or renews) an invitation of each of {@code uids} to {@code gid}, then trims each user's list. */
  Future<Void> invite(SqlConnection conn, long gid, long inviter, List<Long> uids, long now) {
    if (uids.isEmpty()) {
      return Future.succeededFuture();
    }
    List<List<Object>> rows = uids.stream().map(u -> List.<Object>of(u, gid, inviter, now)).toList();
    List<List<Object>> keys = uids.stream().map(u -> List.<Object>of(u)).toList();
    List<Object> last = rows.get(rows.size() - 1);
    return SqlChunks.upsert(conn, UPSERT_HEAD, "(?, ?, ?, ?)",
            dialect.onDuplicateKey(dialect.overwrite("inviter", "created_at")), rows, last)
        .compose(v -> SqlChunks.select(conn, COUNT_HEAD, "?", ") GROUP BY uid", keys))
        .compose(counts -> {
          Future<Void> chain = Future.succeededFuture();
          for (Row c : counts) {
            long excess = c.getLong("n") - max;
            if (excess > 0) {
              long uid = c.getLong("uid");
              chain = chain.compose(v -> trim(conn, uid, excess));
            }
          }
          return chain;
        });
  }

  /** Drops the {@code excess} oldest invitations of {@code uid}. */
  private static Future<Void> trim(SqlConnection conn, long uid, long excess) {
    return conn.preparedQuery(OLDEST).execute(Tuple.of(uid, excess))
        .compose(rows -> {
          List<List<Object>> keys = new ArrayList<>();
          rows.forEach(r -> keys.add(List.of(uid, r.getLong("gid"))));
          return keys.isEmpty() ? Future.succeededFuture() : delete(conn, keys);
        });
  }

  /** Removes and returns the inviter of {@code uid}'s invitation to {@code gid}; null when there is none. */
  Future<Long> take(SqlConnection conn, long uid, long gid) {
    return conn.preparedQuery(LOCK).execute(Tuple.of(uid, gid))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(null);
          }
          long inviter = rows.iterator().next().getLong("inviter");
          return conn.preparedQuery(DELETE).execute(Tuple.of(uid, gid)).map(v -> inviter);
        });
  }

  /** Drops the invitations of {@code uids} to {@code gid} (they joined by a direct add). */
  Future<Void> joined(SqlConnection conn, long gid, List<Long> uids) {
    if (uids.isEmpty()) {
      return Future.succeededFuture();
    }
    List<List<Object>> keys = uids.stream().map(u -> List.<Object>of(u, gid)).toList();
    return delete(conn, keys);
  }

  /** Deletes the (uid, gid) rows of {@code keys}; the padding repeats a key, which deletes nothing more. */
  private static Future<Void> delete(SqlConnection conn, List<List<Object>> keys) {
    return SqlChunks.select(conn, DELETE_HEAD, "(?, ?)", ")", keys).mapEmpty();
  }

  /** Drops every invitation to a group being dissolved. */
  Future<Void> dissolved(SqlConnection conn, long gid) {
    return conn.preparedQuery(DELETE_GROUP).execute(Tuple.of(gid)).mapEmpty();
  }
}

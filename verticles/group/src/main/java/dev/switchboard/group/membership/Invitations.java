package dev.switchboard.group.membership;

import dev.switchboard.protocol.contract.PeerCheck;
import dev.switchboard.shared.store.Dialect;
import dev.switchboard.shared.store.SqlChunks;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Pending group invitations ({@code group_invitations}): one per (user, group), kept until the user accepts or
 * declines, joins the group by a direct add, the group is dissolved, or {@code max} newer invitations push it out (so
 * no user's list grows without bound, however many groups invite them). Invitations from a user the invitee has
 * blocked since are not listed (blocks are the API's: one ask per listing).
 */
final class Invitations {
  private final Dialect dialect;
  private final int max;
  private final ApiPeers peers;

  Invitations(Dialect dialect, int max, ApiPeers peers) {
    this.dialect = dialect;
    this.max = max;
    this.peers = peers;
  }

  /** Records (or renews) an invitation of each of {@code uids} to {@code gid}, then trims each user's list. */
  Future<Void> invite(SqlConnection conn, long gid, long inviter, List<Long> uids, long now) {
    if (uids.isEmpty()) {
      return Future.succeededFuture();
    }
    List<List<Object>> rows = uids.stream().map(u -> List.<Object>of(u, gid, inviter, now)).toList();
    List<List<Object>> keys = uids.stream().map(u -> List.<Object>of(u)).toList();
    List<Object> last = rows.get(rows.size() - 1);
    return SqlChunks.upsert(conn, "INSERT INTO group_invitations (uid, gid, inviter, created_at) VALUES ",
            "(?, ?, ?, ?)", dialect.onDuplicateKey(dialect.overwrite("inviter", "created_at")),
            rows, last)
        .compose(v -> SqlChunks.select(conn, "SELECT uid, COUNT(*) AS n FROM group_invitations WHERE uid IN (", "?",
            ") GROUP BY uid", keys))
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
    return conn.preparedQuery("SELECT gid FROM group_invitations WHERE uid = ? ORDER BY created_at, gid LIMIT ?")
        .execute(Tuple.of(uid, excess))
        .compose(rows -> {
          List<List<Object>> keys = new ArrayList<>();
          rows.forEach(r -> keys.add(List.of(uid, r.getLong("gid"))));
          return keys.isEmpty() ? Future.succeededFuture()
              : delete(conn, keys);
        });
  }

  /** Removes and returns the inviter of {@code uid}'s invitation to {@code gid}; null when there is none. */
  Future<Long> take(SqlConnection conn, long uid, long gid) {
    return conn.preparedQuery("SELECT inviter FROM group_invitations WHERE uid = ? AND gid = ? FOR UPDATE")
        .execute(Tuple.of(uid, gid))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(null);
          }
          long inviter = rows.iterator().next().getLong("inviter");
          return conn.preparedQuery("DELETE FROM group_invitations WHERE uid = ? AND gid = ?")
              .execute(Tuple.of(uid, gid)).map(v -> inviter);
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
    return SqlChunks.select(conn, "DELETE FROM group_invitations WHERE (uid, gid) IN (", "(?, ?)", ")", keys)
        .mapEmpty();
  }

  /** Drops every invitation to a group being dissolved. */
  Future<Void> dissolved(SqlConnection conn, long gid) {
    return conn.preparedQuery("DELETE FROM group_invitations WHERE gid = ?").execute(Tuple.of(gid)).mapEmpty();
  }

  /** {@code {invitations: [{gid, name, by, at, members}]}}: {@code uid}'s pending invitations, newest first. */
  Future<JsonObject> list(Pool pool, long uid) {
    return pool.preparedQuery("SELECT i.gid, i.inviter, i.created_at, g.name, "
            + "(SELECT COUNT(*) FROM group_members c WHERE c.gid = i.gid) AS members "
            + "FROM group_invitations i JOIN im_groups g ON g.gid = i.gid "
            + "WHERE i.uid = ? AND g.dissolved = 0 ORDER BY i.created_at DESC, i.gid DESC")
        .execute(Tuple.of(uid))
        .compose(rows -> {
          List<Row> all = new ArrayList<>(rows.size());
          rows.forEach(all::add);
          List<Long> inviters = all.stream().map(r -> r.getLong("inviter")).toList();
          return peers.ask(inviters, Collections.nCopies(all.size(), uid), PeerCheck.BLOCKED).map(facts -> {
            JsonArray list = new JsonArray();
            for (int i = 0; i < all.size(); i++) {
              Row r = all.get(i);
              if (!facts.has(i, PeerCheck.BLOCKED)) {
                list.add(new JsonObject().put("gid", r.getLong("gid")).put("name", r.getString("name"))
                    .put("by", r.getLong("inviter")).put("at", r.getLong("created_at"))
                    .put("members", r.getLong("members")));
              }
            }
            return new JsonObject().put("invitations", list);
          });
        });
  }
}

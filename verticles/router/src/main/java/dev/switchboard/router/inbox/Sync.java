package dev.switchboard.router.inbox;

import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import dev.switchboard.protocol.contract.SyncRequest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code im.router.sync}: one page of a user's inbox after a seq ({@link SyncRequest} → {@link SyncPage}): the entries
 * with seq in {@code (after, ...]} in seq order (messages, and recalls), whether more follow, and the inbox's latest
 * seq. Stored bodies go into the page as their stored text, unparsed.
 */
public final class Sync {
  private final Pool pool;
  private final int pageMax;

  public Sync(Pool pool, int pageMax) {
    this.pool = pool;
    this.pageMax = pageMax;
  }

  public void handle(Message<SyncRequest> request) {
    SyncRequest r = request.body();
    page(r.uid(), r.after(), Math.min(r.limit(), pageMax))
        .onSuccess(request::reply).onFailure(t -> ImException.failReply(request, t));
  }

  Future<SyncPage> page(long uid, long after, int limit) {
    Future<Long> head = pool.preparedQuery("SELECT seq FROM inbox_seq WHERE uid = ?").execute(Tuple.of(uid))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong("seq"));
    return head.compose(latest -> pool.preparedQuery("SELECT i.seq, i.kind, m.mid, m.cid, m.sender, m.recipient, "
            + "m.ts, m.type, m.body, m.recalled FROM inbox i JOIN messages m ON m.mid = i.mid "
            + "WHERE i.uid = ? AND i.seq > ? ORDER BY i.seq LIMIT ?")
        .execute(Tuple.of(uid, after, limit + 1))
        .map(rows -> new SyncPage(0, entries(rows, limit), rows.size() > limit, latest)));
  }

  /** The first {@code limit} rows (the query asks for one more, which only tells that there is more). */
  private static List<SyncEntry> entries(RowSet<Row> rows, int limit) {
    List<SyncEntry> out = new ArrayList<>(Math.min(rows.size(), limit));
    for (Row r : rows) {
      if (out.size() == limit) {
        break;
      }
      out.add(entry(r));
    }
    return out;
  }

  private static SyncEntry entry(Row r) {
    long seq = r.getLong("seq");
    long mid = r.getLong("mid");
    if (r.getInteger("kind") == 1) {
      return SyncEntry.recall(mid, r.getLong("sender"), seq, 0);
    }
    return SyncEntry.message(mid, r.getString("cid"), r.getLong("sender"), r.getLong("recipient"), seq,
        r.getLong("ts"), r.getString("type"), bodyBytes(r.getString("body")), r.getInteger("recalled") != 0);
  }

  static byte[] bodyBytes(String stored) {
    return stored == null ? null : stored.getBytes(StandardCharsets.UTF_8);
  }
}

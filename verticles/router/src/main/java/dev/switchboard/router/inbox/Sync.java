package dev.switchboard.router.inbox;

import dev.switchboard.shared.ImException;
import dev.switchboard.shared.frame.MessageJson;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import dev.switchboard.shared.store.Pages;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * {@code im.router.sync}: one page of a user's inbox after a seq. Request {@code {uid, after, limit}}; reply
 * {@code {msgs, more, head}}: the entries with seq in {@code (after, ...]} in seq order (messages as {@code msg}
 * objects, recalls as {@code msg.recalled}), whether more follow, and the inbox's latest seq.
 */
public final class Sync {
  private final Pool pool;
  private final int pageMax;

  public Sync(Pool pool, int pageMax) {
    this.pool = pool;
    this.pageMax = pageMax;
  }

  public void handle(Message<JsonObject> request) {
    JsonObject r = request.body();
    page(r.getLong("uid"), r.getLong("after"), Math.min(r.getInteger("limit"), pageMax))
        .onSuccess(request::reply).onFailure(t -> ImException.failReply(request, t));
  }

  Future<JsonObject> page(long uid, long after, int limit) {
    Future<Long> head = pool.preparedQuery("SELECT seq FROM inbox_seq WHERE uid = ?").execute(Tuple.of(uid))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong("seq"));
    return head.compose(latest -> pool.preparedQuery("SELECT i.seq, i.kind, m.mid, m.cid, m.sender, m.recipient, "
            + "m.ts, m.type, m.body, m.recalled FROM inbox i JOIN messages m ON m.mid = i.mid "
            + "WHERE i.uid = ? AND i.seq > ? ORDER BY i.seq LIMIT ?")
        .execute(Tuple.of(uid, after, limit + 1))
        .map(rows -> Pages.of(rows, limit, "msgs", Sync::entry).put("head", latest)));
  }

  private static JsonObject entry(Row r) {
    long seq = r.getLong("seq");
    long mid = r.getLong("mid");
    if (r.getInteger("kind") == 1) {
      return MessageJson.recalled(mid, r.getLong("sender"), seq);
    }
    return MessageJson.message(mid, r.getString("cid"), r.getLong("sender"), r.getLong("recipient"), seq,
        r.getLong("ts"), r.getString("type"), MessageJson.decodeBody(r.getString("body")),
        r.getInteger("recalled") != 0);
  }
}

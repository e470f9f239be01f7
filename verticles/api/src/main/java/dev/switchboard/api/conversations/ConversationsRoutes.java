package dev.switchboard.api.conversations;

import dev.switchboard.api.http.Authn;
import dev.switchboard.shared.frame.MessageJson;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import dev.switchboard.shared.store.Pages;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * One-to-one conversations of the authenticated user.
 * <ul>
 *   <li>{@code GET /api/v1/conversations?limit=} → {@code {conversations: [{peer, unread, readSeq, last}]}}, most
 *   recent first; {@code last} is the last message (as in {@code msg} frames), {@code unread} comes from the read
 *   cursor.</li>
 *   <li>{@code GET /api/v1/conversations/{peer}/messages?before=&limit=} → {@code {messages, more}}: newest first,
 *   {@code before} a mid (exclusive). Messages the user sent carry {@code delivered} and {@code read}.</li>
 * </ul>
 * Only the two parties can read a conversation: the path names the peer, the token the user.
 */
public final class ConversationsRoutes {
  private static final String COLUMNS = "mid, cid, sender, recipient, ts, type, body, recalled, sender_seq, "
      + "recipient_seq, recv_no, delivered";

  private final Pool pool;

  public ConversationsRoutes(Pool pool) {
    this.pool = pool;
  }

  public void mount(Router router, Authn authn) {
    router.get("/api/v1/conversations").handler(authn::handle).handler(this::list);
    router.get("/api/v1/conversations/:peer/messages").handler(authn::handle).handler(this::history);
  }

  private void list(RoutingContext ctx) {
    long uid = Authn.uid(ctx);
    long limit = Authn.query(ctx, "limit", 50, 1, 200);
    pool.preparedQuery("SELECT c.peer, c.received, c.read_no, c.read_seq, m." + COLUMNS.replace(", ", ", m.")
            + " FROM conversations c JOIN messages m ON m.mid = c.last_mid WHERE c.uid = ? "
            + "ORDER BY c.last_mid DESC LIMIT ?")
        .execute(Tuple.of(uid, limit))
        .onSuccess(rows -> {
          JsonArray list = new JsonArray();
          for (Row r : rows) {
            list.add(new JsonObject().put("peer", r.getLong("peer"))
                .put("unread", r.getLong("received") - r.getLong("read_no"))
                .put("readSeq", r.getLong("read_seq"))
                .put("last", message(r, uid, -1)));
          }
          ctx.json(new JsonObject().put("conversations", list));
        })
        .onFailure(ctx::fail);
  }

  private void history(RoutingContext ctx) {
    long uid = Authn.uid(ctx);
    long peer = Authn.pathId(ctx, "peer");
    long before = Authn.query(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
    int limit = (int) Authn.query(ctx, "limit", 50, 1, 200);
    // The peer's read cursor on this conversation tells which of the user's messages were read.
    Future<Long> peerReadNo = pool.preparedQuery("SELECT read_no FROM conversations WHERE uid = ? AND peer = ?")
        .execute(Tuple.of(peer, uid)).map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong("read_no"));
    String oneWay = "SELECT " + COLUMNS + " FROM messages WHERE sender = ? AND recipient = ? AND mid < ? "
        + "ORDER BY mid DESC LIMIT ?";
    // A conversation has one direction per party; with oneself there is only one, and reading it "both ways" would
    // return every message twice.
    String sql = peer == uid ? oneWay
        : "SELECT * FROM ((" + oneWay + ") UNION ALL (" + oneWay + ")) t ORDER BY mid DESC LIMIT ?";
    Tuple args = peer == uid ? Tuple.of(uid, uid, before, limit + 1)
        : Tuple.from(new Object[] {uid, peer, before, limit + 1, peer, uid, before, limit + 1, limit + 1});
    peerReadNo.compose(readNo -> pool.preparedQuery(sql).execute(args)
            .map(rows -> Pages.of(rows, limit, "messages", r -> message(r, uid, readNo))))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  /** A stored message as {@code uid} sees it; {@code peerReadNo} < 0 leaves out the read flag. */
  private static JsonObject message(Row r, long uid, long peerReadNo) {
    long sender = r.getLong("sender");
    long seq = sender == uid ? r.getLong("sender_seq") : r.getLong("recipient_seq");
    JsonObject m = MessageJson.message(r.getLong("mid"), r.getString("cid"), sender, r.getLong("recipient"), seq,
        r.getLong("ts"), r.getString("type"), MessageJson.decodeBody(r.getString("body")),
        r.getInteger("recalled") != 0);
    if (sender == uid && r.getLong("recipient") != uid) {
      m.put("delivered", r.getInteger("delivered") != 0);
      if (peerReadNo >= 0) {
        m.put("read", r.getLong("recv_no") <= peerReadNo);
      }
    }
    return m;
  }
}

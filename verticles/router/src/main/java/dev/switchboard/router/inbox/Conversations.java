package dev.switchboard.router.inbox;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.ConversationsReply;
import dev.switchboard.protocol.contract.ConversationsRequest;
import dev.switchboard.protocol.frame.JsonBytes;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code im.router.conversations} ({@link ConversationsRequest} → {@link ConversationsReply}): a user's one-to-one
 * conversations for the HTTP API, which writes the reply's bytes out as its response body.
 * <ul>
 *   <li>{@code GET /api/v1/conversations?limit=} → {@code {conversations: [{peer, unread, readSeq, last}]}}, most
 *   recent first; {@code last} is the last message (as in {@code msg} frames), {@code unread} comes from the read
 *   cursor.</li>
 *   <li>{@code GET /api/v1/conversations/{peer}/messages?before=&limit=} → {@code {messages, more}}: newest first,
 *   {@code before} a mid (exclusive). Messages the user sent carry {@code delivered} and {@code read}.</li>
 * </ul>
 * The API names the user from the token, so only the two parties read a conversation. Replies are JSON bytes with
 * each stored body's text spliced in, unparsed; {@code bad_request} for a body that is not a request.
 */
public final class Conversations {
  private static final String COLUMNS = "mid, cid, sender, recipient, ts, type, body, recalled, sender_seq, "
      + "recipient_seq, recv_no, delivered";

  private final Pool pool;

  public Conversations(Pool pool) {
    this.pool = pool;
  }

  public void handle(Message<Object> request) {
    if (!(request.body() instanceof ConversationsRequest r) || r.limit() < 1) {
      ImException.failReply(request, new ImException(ErrorCode.BAD_REQUEST,
          "im.router.conversations takes a ConversationsRequest with a limit"));
      return;
    }
    (r.peer() == 0 ? list(r.uid(), r.limit())
        : history(r.uid(), r.peer(), r.before() == 0 ? Long.MAX_VALUE : r.before(), r.limit()))
        .onSuccess(json -> request.reply(new ConversationsReply(json)))
        .onFailure(t -> ImException.failReply(request, t));
  }

  private Future<byte[]> list(long uid, int limit) {
    return pool.preparedQuery("SELECT c.peer, c.received, c.read_no, c.read_seq, m." + COLUMNS.replace(", ", ", m.")
            + " FROM conversations c JOIN messages m ON m.mid = c.last_mid WHERE c.uid = ? "
            + "ORDER BY c.last_mid DESC LIMIT ?")
        .execute(Tuple.of(uid, limit))
        .map(rows -> {
          List<byte[]> list = new ArrayList<>(rows.size());
          for (Row r : rows) {
            byte[] last = message(r, uid, -1);
            list.add(new JsonBytes(64 + last.length).number("peer", r.getLong("peer"))
                .number("unread", r.getLong("received") - r.getLong("read_no"))
                .number("readSeq", r.getLong("read_seq"))
                .raw("last", last).close());
          }
          return new JsonBytes(length(list)).array("conversations", list).close();
        });
  }

  private Future<byte[]> history(long uid, long peer, long before, int limit) {
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
    return peerReadNo.compose(readNo -> pool.preparedQuery(sql).execute(args)
            .map(rows -> {
              List<byte[]> messages = new ArrayList<>(Math.min(rows.size(), limit));
              for (Row r : rows) {
                if (messages.size() == limit) {
                  break;
                }
                messages.add(message(r, uid, readNo));
              }
              return new JsonBytes(length(messages)).array("messages", messages).bool("more", rows.size() > limit)
                  .close();
            }));
  }

  /**
   * A stored message as {@code uid} sees it, as JSON with the stored body text spliced in (never parsed);
   * {@code peerReadNo} < 0 leaves out the read flag.
   */
  private static byte[] message(Row r, long uid, long peerReadNo) {
    long sender = r.getLong("sender");
    long recipient = r.getLong("recipient");
    long seq = sender == uid ? r.getLong("sender_seq") : r.getLong("recipient_seq");
    String cid = r.getString("cid");
    String type = r.getString("type");
    String stored = r.getString("body");
    byte[] body = stored == null ? null : stored.getBytes(StandardCharsets.UTF_8);
    JsonBytes m = new JsonBytes(140 + cid.length() + type.length() + (body == null ? 4 : body.length))
        .string("op", "msg").string("mid", Long.toString(r.getLong("mid"))).string("cid", cid)
        .number("from", sender).number("to", recipient).number("seq", seq).number("ts", r.getLong("ts"))
        .string("type", type).raw("body", body);
    if (r.getInteger("recalled") != 0) {
      m.bool("recalled", true);
    }
    if (sender == uid && recipient != uid) {
      m.bool("delivered", r.getInteger("delivered") != 0);
      if (peerReadNo >= 0) {
        m.bool("read", r.getLong("recv_no") <= peerReadNo);
      }
    }
    return m.close();
  }

  private static int length(List<byte[]> items) {
    int n = 64;
    for (byte[] item : items) {
      n += item.length + 1;
    }
    return n;
  }
}

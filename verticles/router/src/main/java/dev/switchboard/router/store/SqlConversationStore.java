package dev.switchboard.router.store;

import dev.switchboard.protocol.frame.ReactionsJson;
import dev.switchboard.shared.store.Dialect;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ConversationStore} on the router's tables: {@code conversations} (uid, peer, last_mid, received, read_no,
 * read_seq) and {@code messages}. Plain statements on the pool, none in a transaction: each read is one consistent
 * statement, and the read cursor only ever rises.
 */
public final class SqlConversationStore implements ConversationStore {
  private static final String COLUMNS = "mid, cid, sender, recipient, ts, type, body, recalled, sender_seq, "
      + "recipient_seq, recv_no, delivered, edited_at, reaction_count, reply";

  private final Pool pool;

  /** {@code dialect} is unused today: none of these statements differs between the backends. */
  public SqlConversationStore(Pool pool, Dialect dialect) {
    this.pool = pool;
  }

  @Override
  public Future<List<Conversation>> list(long uid, int limit) {
    return pool.preparedQuery("SELECT c.peer, c.received, c.read_no, c.read_seq, m." + COLUMNS.replace(", ", ", m.")
            + " FROM conversations c JOIN messages m ON m.mid = c.last_mid WHERE c.uid = ? "
            + "ORDER BY c.last_mid DESC LIMIT ?")
        .execute(Tuple.of(uid, limit))
        .map(rows -> {
          List<Conversation> list = new ArrayList<>(rows.size());
          for (Row r : rows) {
            list.add(new Conversation(r.getLong("peer"), r.getLong("received") - r.getLong("read_no"),
                r.getLong("read_seq"), message(r)));
          }
          return list;
        });
  }

  @Override
  public Future<History> history(long uid, long peer, long before, int limit) {
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
        .compose(rows -> {
          // The query asks for one more than the page, which only tells that there is more.
          List<Message> messages = new ArrayList<>(Math.min(rows.size(), limit));
          List<Object> reacted = new ArrayList<>();
          for (Row r : rows) {
            if (messages.size() == limit) {
              break;
            }
            Message m = message(r);
            messages.add(m);
            if (!m.recalled() && r.getInteger("reaction_count") > 0) {
              reacted.add(m.mid());
            }
          }
          boolean more = rows.size() > limit;
          if (reacted.isEmpty()) {
            return Future.succeededFuture(new History(messages, more, readNo));
          }
          return SqlInboxStore.reactionsOf(pool, uid, reacted).map(byMid -> {
            List<Message> out = new ArrayList<>(messages.size());
            for (Message m : messages) {
              List<ReactionsJson.Count> counts = byMid.get(m.mid());
              out.add(counts == null ? m : new Message(m.mid(), m.cid(), m.sender(), m.recipient(), m.ts(), m.type(),
                  m.body(), m.recalled(), m.senderSeq(), m.recipientSeq(), m.recvNo(), m.delivered(), m.editedAt(),
                  ReactionsJson.of(counts), m.reply()));
            }
            return new History(out, more, readNo);
          });
        }));
  }

  private static Message message(Row r) {
    return new Message(r.getLong("mid"), r.getString("cid"), r.getLong("sender"), r.getLong("recipient"),
        r.getLong("ts"), r.getString("type"), r.getString("body"), r.getInteger("recalled") != 0,
        r.getLong("sender_seq"), r.getLong("recipient_seq"), r.getLong("recv_no"), r.getInteger("delivered") != 0,
        r.getLong("edited_at") == null ? 0 : r.getLong("edited_at"), null,
        r.getInteger("recalled") != 0 ? null : r.getString("reply"));
  }

  @Override
  public Future<ReadMark> read(long uid, long peer, long upTo) {
    return pool.preparedQuery("SELECT recv_no, sender_seq FROM messages WHERE recipient = ? AND sender = ? "
            + "AND recipient_seq <= ? ORDER BY recipient_seq DESC LIMIT 1")
        .execute(Tuple.of(uid, peer, upTo))
        .compose(rows -> {
          Row last = rows.size() == 0 ? null : rows.iterator().next();
          long readNo = last == null ? 0 : last.getLong("recv_no");
          long peerSeq = last == null ? 0 : last.getLong("sender_seq");
          return pool.preparedQuery("UPDATE conversations SET read_seq = GREATEST(read_seq, ?), "
                  + "read_no = GREATEST(read_no, ?) WHERE uid = ? AND peer = ?")
              .execute(Tuple.of(upTo, readNo, uid, peer))
              .compose(v -> pool.preparedQuery("SELECT received, read_no FROM conversations WHERE uid = ? AND peer = ?")
                  .execute(Tuple.of(uid, peer)))
              .map(conv -> {
                long unread = 0;
                for (Row c : conv) {
                  unread = c.getLong("received") - c.getLong("read_no");
                }
                return new ReadMark(peerSeq, unread);
              });
        });
  }

  @Override
  public Future<Long> unread(long uid, long peer) {
    return pool.preparedQuery("SELECT received, read_no FROM conversations WHERE uid = ? AND peer = ?")
        .execute(Tuple.of(uid, peer))
        .map(rows -> {
          long unread = 0;
          for (Row c : rows) {
            unread = c.getLong("received") - c.getLong("read_no");
          }
          return unread;
        });
  }
}

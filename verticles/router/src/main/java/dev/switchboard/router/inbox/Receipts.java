package dev.switchboard.router.inbox;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.Ack;
import dev.switchboard.protocol.contract.ReadReply;
import dev.switchboard.protocol.contract.ReadRequest;
import dev.switchboard.protocol.contract.RecvRequest;
import dev.switchboard.protocol.frame.OpNames;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.shared.store.Dialect;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Receipts. {@code im.router.recv} ({@link RecvRequest} → {@link Ack}): a device confirms its inbox up to a seq; the
 * first confirmation by any device of the user sends each sender {@code msg.delivered {mids, to}}, one frame per
 * sender and at most {@value #MIDS_PER_FRAME} mids each. {@code im.router.read} ({@link ReadRequest} →
 * {@link ReadReply}): moves the read cursor of a conversation; the peer's devices get {@code msg.read {by, upTo}} with
 * {@code upTo} in the peer's own inbox seqs, the reader's other devices {@code msg.read {by, peer, upTo}}.
 */
public final class Receipts {
  static final int MIDS_PER_FRAME = 500;

  private final Pool pool;
  private final Dialect dialect;
  private final EventBus bus;

  public Receipts(Pool pool, Dialect dialect, EventBus bus) {
    this.pool = pool;
    this.dialect = dialect;
    this.bus = bus;
  }

  public void recv(Message<RecvRequest> request) {
    RecvRequest r = request.body();
    long uid = r.uid();
    pool.withTransaction(conn -> recv(conn, uid, r.device(), r.upTo()))
        .onSuccess(newly -> {
          notifySenders(uid, newly);
          request.reply(Ack.INSTANCE);
        })
        .onFailure(t -> ImException.failReply(request, t));
  }

  /** Moves the cursors; completes with the mids newly delivered, by sender. */
  private Future<Map<Long, List<String>>> recv(SqlConnection conn, long uid, String device, long upTo) {
    return conn.preparedQuery("INSERT INTO device_cursors (uid, device, delivered) VALUES (?, ?, ?)"
            + dialect.onDuplicateKey(dialect.raise("delivered")))
        .execute(Tuple.of(uid, device, upTo))
        .compose(v -> conn.preparedQuery("SELECT seq, delivered FROM inbox_seq WHERE uid = ? FOR UPDATE")
            .execute(Tuple.of(uid)))
        .compose(rows -> {
          Map<Long, List<String>> bySender = new LinkedHashMap<>();
          if (rows.size() == 0) {
            return Future.succeededFuture(bySender);
          }
          Row row = rows.iterator().next();
          long from = row.getLong("delivered");
          long to = Math.min(upTo, row.getLong("seq"));
          if (to <= from) {
            return Future.succeededFuture(bySender);
          }
          return conn.preparedQuery("UPDATE inbox_seq SET delivered = ? WHERE uid = ?").execute(Tuple.of(to, uid))
              .compose(v -> conn.preparedQuery("SELECT m.mid, m.sender FROM inbox i JOIN messages m ON m.mid = i.mid "
                      + "WHERE i.uid = ? AND i.seq > ? AND i.seq <= ? AND i.kind = 0 AND m.recipient = ? "
                      + "AND m.sender <> ? AND m.delivered = 0")
                  .execute(Tuple.of(uid, from, to, uid, uid)))
              .compose(found -> {
                List<Tuple> marks = new ArrayList<>();
                for (Row m : found) {
                  bySender.computeIfAbsent(m.getLong("sender"), k -> new ArrayList<>())
                      .add(Long.toString(m.getLong("mid")));
                  marks.add(Tuple.of(m.getLong("mid")));
                }
                return marks.isEmpty() ? Future.succeededFuture(bySender)
                    : conn.preparedQuery("UPDATE messages SET delivered = 1 WHERE mid = ?").executeBatch(marks)
                        .map(bySender);
              });
        });
  }

  private void notifySenders(long uid, Map<Long, List<String>> bySender) {
    bySender.forEach((sender, mids) -> {
      for (int i = 0; i < mids.size(); i += MIDS_PER_FRAME) {
        JsonArray chunk = new JsonArray(new ArrayList<>(mids.subList(i, Math.min(mids.size(), i + MIDS_PER_FRAME))));
        bus.publish(Addresses.user(sender), OutFrame.of(new JsonObject().put("op", OpNames.MSG_DELIVERED)
            .put("mids", chunk).put("to", uid)));
      }
    });
  }

  public void read(Message<ReadRequest> request) {
    ReadRequest r = request.body();
    long uid = r.uid();
    long peer = r.peer();
    long upTo = r.upTo();
    read(uid, peer, upTo)
        .onSuccess(result -> {
          Long peerSeq = result.getLong("peerSeq");
          if (peerSeq != null) {
            bus.publish(Addresses.user(peer), OutFrame.of(new JsonObject().put("op", OpNames.MSG_READ).put("by", uid)
                .put("upTo", peerSeq)));
          }
          bus.publish(Addresses.user(uid), OutFrame.of(new JsonObject().put("op", OpNames.MSG_READ).put("by", uid)
                  .put("peer", peer).put("upTo", upTo)),
              new DeliveryOptions().addHeader(BusHeaders.SKIP, r.session()));
          request.reply(new ReadReply(result.getLong("unread")));
        })
        .onFailure(t -> ImException.failReply(request, t));
  }

  /** Completes with {@code {peerSeq, unread}}: the peer's seq of the last message read (or null), unread left. */
  private Future<JsonObject> read(long uid, long peer, long upTo) {
    return pool.preparedQuery("SELECT recv_no, sender_seq FROM messages WHERE recipient = ? AND sender = ? "
            + "AND recipient_seq <= ? ORDER BY recipient_seq DESC LIMIT 1")
        .execute(Tuple.of(uid, peer, upTo))
        .compose(rows -> {
          Row last = rows.size() == 0 ? null : rows.iterator().next();
          long readNo = last == null ? 0 : last.getLong("recv_no");
          Long peerSeq = last == null ? null : last.getLong("sender_seq");
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
                return new JsonObject().put("peerSeq", peerSeq).put("unread", unread);
              });
        });
  }
}

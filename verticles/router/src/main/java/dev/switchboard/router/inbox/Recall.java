package dev.switchboard.router.inbox;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.RecallReply;
import dev.switchboard.protocol.contract.RecallRequest;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.shared.store.Dialect;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code im.router.recall} ({@link RecallRequest}): the sender recalls a message within the window. The body is
 * cleared in storage, a recall entry goes into both inboxes (so offline devices learn it on sync), and both users'
 * devices get {@code msg.recalled {mid, by, seq}}. Reply {@link RecallReply} with the recaller's inbox seq of the
 * recall ({@code seq} 0 when the message was already recalled). Errors: {@code not_found} (no such message, or
 * not one of the caller's conversations), {@code forbidden} (the caller did not send it), {@code recall_expired}.
 */
public final class Recall {
  private record Done(long sender, long recipient, long senderSeq, long recipientSeq) {
  }

  private final Pool pool;
  private final Dialect dialect;
  private final EventBus bus;
  private final long windowMs;

  public Recall(Pool pool, Dialect dialect, EventBus bus, long windowMs) {
    this.pool = pool;
    this.dialect = dialect;
    this.bus = bus;
    this.windowMs = windowMs;
  }

  public void handle(Message<RecallRequest> request) {
    RecallRequest r = request.body();
    long mid = r.mid();
    pool.withTransaction(conn -> recall(conn, r.uid(), mid))
        .onSuccess(done -> {
          if (done != null) {
            publish(mid, done, r.session());
          }
          request.reply(new RecallReply(mid, 0, done == null ? 0 : done.senderSeq()));
        })
        .onFailure(t -> ImException.failReply(request, t));
  }

  /** Completes with the seqs of the recall entries, or null when the message was already recalled. */
  private Future<Done> recall(SqlConnection conn, long uid, long mid) {
    return conn.preparedQuery("SELECT sender, recipient, ts, recalled FROM messages WHERE mid = ? FOR UPDATE")
        .execute(Tuple.of(mid))
        .compose(rows -> {
          Row m = rows.size() == 0 ? null : rows.iterator().next();
          if (m == null || (m.getLong("sender") != uid && m.getLong("recipient") != uid)) {
            return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no message " + mid));
          }
          long sender = m.getLong("sender");
          long recipient = m.getLong("recipient");
          if (sender != uid) {
            return Future.failedFuture(new ImException(ErrorCode.FORBIDDEN, "only the sender may recall a message"));
          }
          if (m.getInteger("recalled") != 0) {
            return Future.succeededFuture(null);
          }
          if (System.currentTimeMillis() - m.getLong("ts") > windowMs) {
            return Future.failedFuture(new ImException(ErrorCode.RECALL_EXPIRED,
                "messages can be recalled for " + windowMs / 1000 + " s after sending"));
          }
          Map<Long, Integer> counts = new HashMap<>();
          counts.put(sender, 1);
          counts.put(recipient, 1);
          return conn.preparedQuery("UPDATE messages SET recalled = 1, body = NULL WHERE mid = ?")
              .execute(Tuple.of(mid))
              .compose(v -> Seqs.reserve(dialect, conn, counts))
              .compose(seqs -> {
                Done done = new Done(sender, recipient, seqs.get(sender), seqs.get(recipient));
                List<Tuple> rowsToAdd = sender == recipient ? List.of(Tuple.of(sender, done.senderSeq(), 1, mid))
                    : List.of(Tuple.of(sender, done.senderSeq(), 1, mid), Tuple.of(recipient, done.recipientSeq(), 1,
                        mid));
                return conn.preparedQuery("INSERT INTO inbox (uid, seq, kind, mid) VALUES (?, ?, ?, ?)")
                    .executeBatch(rowsToAdd).map(done);
              });
        });
  }

  private void publish(long mid, Done done, String session) {
    if (done.recipient() != done.sender()) {
      bus.publish(Addresses.user(done.recipient()),
          OutFrame.of(MessageJson.recalled(mid, done.sender(), done.recipientSeq())));
    }
    bus.publish(Addresses.user(done.sender()), OutFrame.of(MessageJson.recalled(mid, done.sender(), done.senderSeq())),
        new DeliveryOptions().addHeader(BusHeaders.SKIP, session));
  }
}

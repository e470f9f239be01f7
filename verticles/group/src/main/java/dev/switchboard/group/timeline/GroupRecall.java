package dev.switchboard.group.timeline;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.GroupRecallRequest;
import dev.switchboard.protocol.contract.RecallReply;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.shared.ids.MidGenerator;
import dev.switchboard.shared.store.Dialect;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * {@code im.group.recall} ({@link GroupRecallRequest}): the sender within the recall window, or an owner or
 * admin at any time, recalls a group message. The body is erased, a recall entry joins the timeline (its body holds
 * the recalled mid) and members get {@code msg.recalled {mid, by, group, seq}}. Reply {@link RecallReply} ({@code seq}
 * 0 when it was already recalled).
 */
public final class GroupRecall {
  private final Pool pool;
  private final Dialect dialect;
  private final EventBus bus;
  private final MidGenerator mids;
  private final long windowMs;

  public GroupRecall(Pool pool, Dialect dialect, EventBus bus, MidGenerator mids, long windowMs) {
    this.pool = pool;
    this.dialect = dialect;
    this.bus = bus;
    this.mids = mids;
    this.windowMs = windowMs;
  }

  public void handle(Message<GroupRecallRequest> request) {
    GroupRecallRequest r = request.body();
    long uid = r.uid();
    long gid = r.gid();
    long mid = r.mid();
    pool.withTransaction(conn -> recall(conn, uid, gid, mid))
        .onSuccess(seq -> {
          if (seq != null) {
            bus.publish(Addresses.group(gid), OutFrame.of(MessageJson.groupRecalled(mid, uid, gid, seq)),
                new DeliveryOptions().addHeader(BusHeaders.SKIP, r.session()));
          }
          request.reply(new RecallReply(mid, gid, seq == null ? 0 : seq));
        })
        .onFailure(t -> ImException.failReply(request, t));
  }

  private Future<Long> recall(SqlConnection conn, long uid, long gid, long mid) {
    Future<Row> actor = conn.preparedQuery("SELECT m.role FROM group_members m JOIN im_groups g ON g.gid = m.gid "
            + "WHERE m.gid = ? AND m.uid = ? AND g.dissolved = 0").execute(Tuple.of(gid, uid))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new ImException(ErrorCode.NOT_MEMBER, "you are not a member of group " + gid))
            : Future.succeededFuture(rows.iterator().next()));
    return actor.compose(me -> conn.preparedQuery("SELECT seq, sender, ts, recalled FROM group_messages "
            + "WHERE gid = ? AND mid = ? AND kind = 0 FOR UPDATE").execute(Tuple.of(gid, mid))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no message " + mid + " in the group"));
          }
          Row m = rows.iterator().next();
          boolean moderator = me.getInteger("role") > 0;
          if (m.getLong("sender") != uid && !moderator) {
            return Future.failedFuture(new ImException(ErrorCode.FORBIDDEN,
                "only the sender, an admin or the owner may recall a message"));
          }
          if (m.getInteger("recalled") != 0) {
            return Future.succeededFuture(null);
          }
          if (!moderator && System.currentTimeMillis() - m.getLong("ts") > windowMs) {
            return Future.failedFuture(new ImException(ErrorCode.RECALL_EXPIRED,
                "messages can be recalled for " + windowMs / 1000 + " s after sending"));
          }
          long recallMid = mids.next();
          return conn.preparedQuery("UPDATE group_messages SET recalled = 1, body = NULL WHERE gid = ? AND seq = ?")
              .execute(Tuple.of(gid, m.getLong("seq")))
              .compose(v -> Timeline.append(dialect, conn, gid, Timeline.RECALL, recallMid, uid, null,
                  Long.toString(mid), MidGenerator.timestampOf(recallMid)));
        }));
  }
}

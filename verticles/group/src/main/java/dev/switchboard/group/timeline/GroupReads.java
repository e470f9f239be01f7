package dev.switchboard.group.timeline;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.GroupSyncRequest;
import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading group timelines, for current members only and only after the seq at which they joined:
 * <ul>
 *   <li>{@code im.group.sync} {@link GroupSyncRequest} → {@link SyncPage} (stored bodies unparsed);</li>
 * </ul>
 * ({@code im.group.memberships} and {@code im.group.read}: {@link GroupHeads}.)
 */
public final class GroupReads {
  private final Pool pool;
  private final int pageMax;

  public GroupReads(Pool pool, int pageMax) {
    this.pool = pool;
    this.pageMax = pageMax;
  }

  public void sync(Message<GroupSyncRequest> request) {
    GroupSyncRequest r = request.body();
    page(r.uid(), r.group(), r.after(), Math.min(r.limit(), pageMax))
        .onSuccess(request::reply).onFailure(t -> ImException.failReply(request, t));
  }

  /** The member's join seq and the group's head, or {@code not_member}. */
  private Future<Row> member(long uid, long gid) {
    return pool.preparedQuery("SELECT m.joined_seq, m.read_seq, g.seq FROM group_members m JOIN im_groups g "
            + "ON g.gid = m.gid WHERE m.gid = ? AND m.uid = ? AND g.dissolved = 0")
        .execute(Tuple.of(gid, uid))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new ImException(ErrorCode.NOT_MEMBER, "you are not a member of group " + gid))
            : Future.succeededFuture(rows.iterator().next()));
  }

  Future<SyncPage> page(long uid, long gid, long after, int limit) {
    return member(uid, gid).compose(m -> pool.preparedQuery("SELECT seq, kind, mid, sender, cid, type, body, ts, "
            + "recalled FROM group_messages WHERE gid = ? AND seq > ? ORDER BY seq LIMIT ?")
        .execute(Tuple.of(gid, Math.max(after, m.getLong("joined_seq")), limit + 1))
        .map(rows -> {
          List<SyncEntry> entries = new ArrayList<>(Math.min(rows.size(), limit));
          for (Row row : rows) {
            if (entries.size() == limit) {
              break;
            }
            entries.add(syncEntry(gid, row));
          }
          return new SyncPage(gid, entries, rows.size() > limit, m.getLong("seq"));
        }));
  }

  /** A timeline row as a page entry: the stored body (or event) text goes in as it is, unparsed. */
  public static SyncEntry syncEntry(long gid, Row r) {
    long seq = r.getLong("seq");
    return switch (r.getInteger("kind")) {
      case Timeline.EVENT -> SyncEntry.event(gid, seq, r.getLong("ts"), utf8(r.getString("body")));
      case Timeline.RECALL -> SyncEntry.recall(Long.parseLong(r.getString("body")), r.getLong("sender"), seq, gid);
      default -> SyncEntry.groupMessage(r.getLong("mid"), r.getString("cid"), r.getLong("sender"), gid, seq,
          r.getLong("ts"), r.getString("type"), utf8(r.getString("body")), r.getInteger("recalled") != 0);
    };
  }

  private static byte[] utf8(String stored) {
    return stored == null ? null : stored.getBytes(StandardCharsets.UTF_8);
  }
}

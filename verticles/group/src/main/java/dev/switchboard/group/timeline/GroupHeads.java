package dev.switchboard.group.timeline;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.GroupReadRequest;
import dev.switchboard.protocol.contract.MembershipsReply;
import dev.switchboard.protocol.contract.MembershipsRequest;
import dev.switchboard.protocol.contract.ReadReply;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a user stands in their groups:
 * <ul>
 *   <li>{@code im.group.memberships} ({@link MembershipsRequest} → {@link MembershipsReply}): the user's groups and
 *   their latest seqs;</li>
 *   <li>{@code im.group.read} ({@link GroupReadRequest} → {@link ReadReply}): moves the member's read cursor, answers
 *   what is left unread; {@code not_member} for anyone else.</li>
 * </ul>
 */
public final class GroupHeads {
  private final Pool pool;

  public GroupHeads(Pool pool) {
    this.pool = pool;
  }

  public void memberships(Message<MembershipsRequest> request) {
    pool.preparedQuery("SELECT m.gid, g.seq FROM group_members m JOIN im_groups g ON g.gid = m.gid "
            + "WHERE m.uid = ? AND g.dissolved = 0")
        .execute(Tuple.of(request.body().uid()))
        .onSuccess(rows -> {
          Map<Long, Long> heads = new LinkedHashMap<>();
          rows.forEach(r -> heads.put(r.getLong("gid"), r.getLong("seq")));
          request.reply(new MembershipsReply(heads));
        })
        .onFailure(t -> ImException.failReply(request, t));
  }

  public void read(Message<GroupReadRequest> request) {
    GroupReadRequest r = request.body();
    long uid = r.uid();
    long gid = r.gid();
    long upTo = r.upTo();
    member(uid, gid)
        .compose(m -> pool.preparedQuery("UPDATE group_members SET read_seq = GREATEST(read_seq, ?) "
                + "WHERE gid = ? AND uid = ?").execute(Tuple.of(Math.min(upTo, m.getLong("seq")), gid, uid))
            .map(v -> m.getLong("seq") - Math.max(m.getLong("read_seq"), Math.min(upTo, m.getLong("seq")))))
        .onSuccess(unread -> request.reply(new ReadReply(unread)))
        .onFailure(t -> ImException.failReply(request, t));
  }

  /** The member's read cursor and the group's head, or {@code not_member}. */
  private Future<Row> member(long uid, long gid) {
    return pool.preparedQuery("SELECT m.read_seq, g.seq FROM group_members m JOIN im_groups g "
            + "ON g.gid = m.gid WHERE m.gid = ? AND m.uid = ? AND g.dissolved = 0")
        .execute(Tuple.of(gid, uid))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new ImException(ErrorCode.NOT_MEMBER, "you are not a member of group " + gid))
            : Future.succeededFuture(rows.iterator().next()));
  }
}

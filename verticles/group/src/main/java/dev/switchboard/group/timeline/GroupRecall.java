package dev.switchboard.group.timeline;

import dev.switchboard.group.store.Role;
import dev.switchboard.group.store.TimelineStore;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.GroupRecallRequest;
import dev.switchboard.protocol.contract.RecallReply;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.shared.ids.MidGenerator;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * {@code im.group.recall} ({@link GroupRecallRequest}): the sender within the recall window, or an owner or
 * admin at any time, recalls a group message. The body is erased, a recall entry joins the timeline (its body holds
 * the recalled mid) and members get {@code msg.recalled {mid, by, group, seq}}. Reply {@link RecallReply} ({@code seq}
 * 0 when it was already recalled).
 */
public final class GroupRecall {
  private final TimelineStore timeline;
  private final EventBus bus;
  private final MidGenerator mids;
  private final long windowMs;

  public GroupRecall(TimelineStore timeline, EventBus bus, MidGenerator mids, long windowMs) {
    this.timeline = timeline;
    this.bus = bus;
    this.mids = mids;
    this.windowMs = windowMs;
  }

  public void handle(Message<GroupRecallRequest> request) {
    GroupRecallRequest r = request.body();
    long uid = r.uid();
    long gid = r.gid();
    long mid = r.mid();
    timeline.recall(gid, uid, mid, (role, sender, ts, recalled) -> judge(uid, role, sender, ts, recalled))
        .onSuccess(seq -> {
          if (seq != null) {
            bus.publish(Addresses.group(gid), OutFrame.of(MessageJson.groupRecalled(mid, uid, gid, seq)),
                new DeliveryOptions().addHeader(BusHeaders.SKIP, r.session()));
          }
          request.reply(new RecallReply(mid, gid, seq == null ? 0 : seq));
        })
        .onFailure(t -> ImException.failReply(request, t));
  }

  /** The recall's mid when {@code uid} may recall the message now; 0 when it is recalled already. */
  private long judge(long uid, Role role, long sender, long ts, boolean recalled) {
    boolean moderator = role.atLeast(Role.ADMIN);
    if (sender != uid && !moderator) {
      throw new ImException(ErrorCode.FORBIDDEN, "only the sender, an admin or the owner may recall a message");
    }
    if (recalled) {
      return 0;
    }
    if (!moderator && System.currentTimeMillis() - ts > windowMs) {
      throw new ImException(ErrorCode.RECALL_EXPIRED,
          "messages can be recalled for " + windowMs / 1000 + " s after sending");
    }
    return mids.next();
  }
}

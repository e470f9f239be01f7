package dev.switchboard.group.timeline;

import dev.switchboard.group.store.TimelineStore;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.GroupReadRequest;
import dev.switchboard.protocol.contract.MembershipsReply;
import dev.switchboard.protocol.contract.MembershipsRequest;
import dev.switchboard.protocol.contract.ReadReply;
import io.vertx.core.eventbus.Message;

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
  private final TimelineStore timeline;

  public GroupHeads(TimelineStore timeline) {
    this.timeline = timeline;
  }

  public void memberships(Message<MembershipsRequest> request) {
    timeline.heads(request.body().uid())
        .onSuccess(heads -> request.reply(new MembershipsReply(heads)))
        .onFailure(t -> ImException.failReply(request, t));
  }

  public void read(Message<GroupReadRequest> request) {
    GroupReadRequest r = request.body();
    timeline.markRead(r.uid(), r.gid(), r.upTo())
        .onSuccess(unread -> request.reply(new ReadReply(unread.entries(), unread.mentions())))
        .onFailure(t -> ImException.failReply(request, t));
  }
}

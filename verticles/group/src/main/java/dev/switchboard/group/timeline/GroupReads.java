package dev.switchboard.group.timeline;

import dev.switchboard.group.store.TimelineStore;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.GroupSyncRequest;
import dev.switchboard.protocol.contract.SyncPage;
import io.vertx.core.eventbus.Message;

/**
 * Reading group timelines, for current members only and only after the seq at which they joined:
 * <ul>
 *   <li>{@code im.group.sync} {@link GroupSyncRequest} → {@link SyncPage} (stored bodies unparsed), at most
 *   {@code pageMax} entries a page;</li>
 * </ul>
 * ({@code im.group.memberships} and {@code im.group.read}: {@link GroupHeads}.)
 */
public final class GroupReads {
  private final TimelineStore timeline;
  private final int pageMax;

  public GroupReads(TimelineStore timeline, int pageMax) {
    this.timeline = timeline;
    this.pageMax = pageMax;
  }

  public void sync(Message<GroupSyncRequest> request) {
    GroupSyncRequest r = request.body();
    timeline.page(r.uid(), r.group(), r.after(), Math.min(r.limit(), pageMax))
        .onSuccess(request::reply).onFailure(t -> ImException.failReply(request, t));
  }
}

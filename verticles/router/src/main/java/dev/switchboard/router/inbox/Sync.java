package dev.switchboard.router.inbox;

import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.SyncPage;
import dev.switchboard.protocol.contract.SyncRequest;
import dev.switchboard.router.store.InboxStore;
import io.vertx.core.eventbus.Message;

/**
 * {@code im.router.sync}: one page of a user's inbox after a seq ({@link SyncRequest} → {@link SyncPage}): the entries
 * with seq in {@code (after, ...]} in seq order (messages, and recalls), whether more follow, and the inbox's latest
 * seq. Stored bodies go into the page as their stored text, unparsed.
 */
public final class Sync {
  private final InboxStore inbox;
  private final int pageMax;

  public Sync(InboxStore inbox, int pageMax) {
    this.inbox = inbox;
    this.pageMax = pageMax;
  }

  public void handle(Message<SyncRequest> request) {
    SyncRequest r = request.body();
    inbox.page(r.uid(), r.after(), Math.min(r.limit(), pageMax))
        .onSuccess(request::reply).onFailure(t -> ImException.failReply(request, t));
  }
}

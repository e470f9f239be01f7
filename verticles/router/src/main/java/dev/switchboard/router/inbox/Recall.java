package dev.switchboard.router.inbox;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.contract.RecallReply;
import dev.switchboard.protocol.contract.RecallRequest;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.router.store.InboxStore.Recalled;
import dev.switchboard.router.store.InboxStore;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * {@code im.router.recall} ({@link RecallRequest}): the sender recalls a message within the window. The body is
 * cleared in storage, a recall entry goes into both inboxes (so offline devices learn it on sync), and both users'
 * devices get {@code msg.recalled {mid, by, seq}}. Reply {@link RecallReply} with the recaller's inbox seq of the
 * recall ({@code seq} 0 when the message was already recalled). Errors: {@code not_found} (no such message, or
 * not one of the caller's conversations), {@code forbidden} (the caller did not send it), {@code recall_expired}.
 */
public final class Recall {
  private final InboxStore inbox;
  private final EventBus bus;
  private final UserBus users;
  private final long windowMs;

  public Recall(InboxStore inbox, EventBus bus, UserBus users, long windowMs) {
    this.inbox = inbox;
    this.bus = bus;
    this.users = users;
    this.windowMs = windowMs;
  }

  public void handle(Message<RecallRequest> request) {
    RecallRequest r = request.body();
    long mid = r.mid();
    inbox.recall(r.uid(), mid, windowMs)
        .onSuccess(done -> {
          if (done != null) {
            publish(mid, done, r.session());
          }
          request.reply(new RecallReply(mid, 0, done == null ? 0 : done.senderSeq()));
        })
        .onFailure(t -> ImException.failReply(request, t));
  }

  private void publish(long mid, Recalled done, String session) {
    if (done.recipient() != done.sender()) {
      users.publish(done.recipient(),
          OutFrame.of(MessageJson.recalled(mid, done.sender(), done.recipientSeq())));
    }
    users.publish(done.sender(), OutFrame.of(MessageJson.recalled(mid, done.sender(), done.senderSeq())),
        new DeliveryOptions().addHeader(BusHeaders.SKIP, session));
  }
}

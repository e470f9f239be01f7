package dev.switchboard.router.inbox;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.UserMessagesRequest;
import dev.switchboard.router.store.InboxUpkeepStore;
import io.vertx.core.eventbus.Message;

/**
 * {@code im.router.user-messages} ({@link UserMessagesRequest} → {@code SyncPage}): a page of the one-to-one messages
 * a user sent, erased first when asked (the server API's export and purge). Pages hold 1 to 1,000 messages.
 */
public final class UserMessages {
  private final InboxUpkeepStore store;

  public UserMessages(InboxUpkeepStore store) {
    this.store = store;
  }

  public void handle(Message<Object> request) {
    if (!(request.body() instanceof UserMessagesRequest r) || r.uid() <= 0 || r.limit() < 1 || r.limit() > 1000) {
      ImException.failReply(request, new ImException(ErrorCode.BAD_REQUEST,
          "im.router.user-messages takes a UserMessagesRequest with a uid and a limit of 1 to 1000"));
      return;
    }
    store.sentBy(r.uid(), r.after(), r.limit(), r.erase()).onSuccess(request::reply)
        .onFailure(t -> ImException.failReply(request, t));
  }
}

package dev.switchboard.group.upkeep;

import dev.switchboard.group.store.TimelineUpkeepStore;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.Ack;
import dev.switchboard.protocol.contract.GroupRetention;
import dev.switchboard.protocol.contract.UserMessagesRequest;
import io.vertx.core.eventbus.Message;

/**
 * The server API's group upkeep: {@code im.group.user-messages} ({@link UserMessagesRequest} → {@code SyncPage}: a
 * page of the group messages a user sent, erased first when asked; 1 to 1,000 per page) and
 * {@code im.group.retention} ({@link GroupRetention} → {@link Ack}; {@code not_found} for no such group).
 */
public final class Upkeep {
  private final TimelineUpkeepStore store;

  public Upkeep(TimelineUpkeepStore store) {
    this.store = store;
  }

  public void userMessages(Message<Object> request) {
    if (!(request.body() instanceof UserMessagesRequest r) || r.uid() <= 0 || r.limit() < 1 || r.limit() > 1000) {
      ImException.failReply(request, new ImException(ErrorCode.BAD_REQUEST,
          "im.group.user-messages takes a UserMessagesRequest with a uid and a limit of 1 to 1000"));
      return;
    }
    store.sentBy(r.uid(), r.after(), r.limit(), r.erase()).onSuccess(request::reply)
        .onFailure(t -> ImException.failReply(request, t));
  }

  public void retention(Message<Object> request) {
    if (!(request.body() instanceof GroupRetention r) || r.days() < 0 || r.days() > 10_000) {
      ImException.failReply(request, new ImException(ErrorCode.BAD_REQUEST,
          "im.group.retention takes a GroupRetention with days from 0 to 10000"));
      return;
    }
    store.setRetention(r.gid(), r.days() == 0 ? null : r.days())
        .onSuccess(found -> {
          if (found) {
            request.reply(Ack.INSTANCE);
          } else {
            ImException.failReply(request, new ImException(ErrorCode.NOT_FOUND, "no group " + r.gid()));
          }
        })
        .onFailure(t -> ImException.failReply(request, t));
  }
}

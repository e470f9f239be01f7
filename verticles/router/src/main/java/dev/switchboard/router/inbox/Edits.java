package dev.switchboard.router.inbox;

import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.contract.EditReply;
import dev.switchboard.protocol.contract.EditRequest;
import dev.switchboard.protocol.contract.MessageVersionsRequest;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.router.store.InboxStore;
import dev.switchboard.router.store.InboxStore.Edited;
import dev.switchboard.shared.config.EditsConfig;
import dev.switchboard.shared.hooks.BeforeSendHook;
import dev.switchboard.shared.store.SendLimits;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.nio.charset.StandardCharsets;

/**
 * {@code im.router.edit} ({@link EditRequest}): the sender replaces a message's body within the edit window. The new
 * body is size-checked and, when a before-send hook covers one-to-one sends, shown to it like a send (with
 * {@code edit}: the mid) — it may refuse or rewrite it; the old body joins the message's versions, an edit entry goes
 * into both inboxes and both users' devices get {@code msg.edited {mid, by, seq, body, editedAt}} (the editing
 * session has the reply). Reply {@link EditReply}. Also {@code im.router.versions} ({@link MessageVersionsRequest},
 * server API): the message's bodies, oldest first.
 */
public final class Edits {
  private final InboxStore inbox;
  private final UserBus users;
  private final SendLimits limits;
  private final EditsConfig config;
  private final BeforeSendHook hook;

  /** {@code hook}: null when none covers one-to-one sends. */
  public Edits(InboxStore inbox, UserBus users, SendLimits limits, EditsConfig config, BeforeSendHook hook) {
    this.inbox = inbox;
    this.users = users;
    this.limits = limits;
    this.config = config;
    this.hook = hook;
  }

  public void handle(Message<EditRequest> request) {
    EditRequest r = request.body();
    Future<EditReply> reply;
    try {
      limits.checkBody(r.body());
      reply = approved(r).compose(body -> {
        String text = body == r.body() ? new String(body, StandardCharsets.UTF_8) : limits.checkBody(body);
        return inbox.edit(r.uid(), r.mid(), text, config.editWindowMs(), config.maxEdits())
            .map(done -> {
              publish(r, body, done);
              return new EditReply(r.mid(), 0, done.senderSeq(), done.editedAt());
            });
      });
    } catch (ImException e) {
      reply = Future.failedFuture(e);
    }
    reply.onSuccess(request::reply).onFailure(t -> ImException.failReply(request, t));
  }

  /** The body to store: the request's, or the hook's replacement; fails {@code rejected} when the hook refuses. */
  private Future<byte[]> approved(EditRequest r) {
    if (hook == null) {
      return Future.succeededFuture(r.body());
    }
    // The hook is told who the message goes to: read it first (the edit itself re-checks everything under a lock).
    return inbox.find(r.mid()).compose(m -> hook.checkEdit(m, r.uid(), r.mid(), r.body()));
  }

  private void publish(EditRequest r, byte[] body, Edited done) {
    if (done.recipient() != done.sender()) {
      users.publish(done.recipient(), OutFrame.ofJsonBytes(MessageJson.editedBytes(r.mid(), done.sender(),
          done.recipientSeq(), 0, body, done.editedAt())));
    }
    users.publish(done.sender(), OutFrame.ofJsonBytes(MessageJson.editedBytes(r.mid(), done.sender(),
        done.senderSeq(), 0, body, done.editedAt())), new DeliveryOptions().addHeader(BusHeaders.SKIP, r.session()));
  }

  public void versions(Message<MessageVersionsRequest> request) {
    inbox.versions(request.body().mid()).onSuccess(request::reply)
        .onFailure(t -> ImException.failReply(request, t));
  }
}

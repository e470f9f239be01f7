package dev.switchboard.router.inbox;

import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.contract.ReactReply;
import dev.switchboard.protocol.contract.ReactRequest;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.router.store.InboxStore;
import dev.switchboard.router.store.InboxStore.Reacted;
import dev.switchboard.shared.config.EditsConfig;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

/**
 * {@code im.router.react} ({@link ReactRequest}): either party of a one-to-one message adds or removes a reaction
 * (the emoji was validated by the gateway). A change goes into both inboxes and both users' devices get
 * {@code msg.reactions {mid, seq, by, emoji, added, reactions}} (the reacting session has the reply). Reply
 * {@link ReactReply} ({@code seq} 0: nothing changed).
 */
public final class Reactions {
  private final InboxStore inbox;
  private final UserBus users;
  private final EditsConfig config;

  public Reactions(InboxStore inbox, UserBus users, EditsConfig config) {
    this.inbox = inbox;
    this.users = users;
    this.config = config;
  }

  public void handle(Message<ReactRequest> request) {
    ReactRequest r = request.body();
    inbox.react(r.uid(), r.mid(), r.emoji(), r.add(), config.maxEmoji(), config.maxReactionsPerUser())
        .onSuccess(done -> {
          if (done != null) {
            publish(r, done);
          }
          request.reply(new ReactReply(r.mid(), 0, done == null ? 0 : seqOf(r.uid(), done)));
        })
        .onFailure(t -> ImException.failReply(request, t));
  }

  private static long seqOf(long uid, Reacted done) {
    return uid == done.sender() ? done.senderSeq() : done.recipientSeq();
  }

  private void publish(ReactRequest r, Reacted done) {
    long other = r.uid() == done.sender() ? done.recipient() : done.sender();
    if (other != r.uid()) {
      users.publish(other, OutFrame.ofJsonBytes(MessageJson.reactionsBytes(r.mid(), seqOf(other, done), 0, r.uid(),
          r.emoji(), r.add(), done.reactions())));
    }
    users.publish(r.uid(), OutFrame.ofJsonBytes(MessageJson.reactionsBytes(r.mid(), seqOf(r.uid(), done), 0, r.uid(),
        r.emoji(), r.add(), done.reactions())), new DeliveryOptions().addHeader(BusHeaders.SKIP, r.session()));
  }
}

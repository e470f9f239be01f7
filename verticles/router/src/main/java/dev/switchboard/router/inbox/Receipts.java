package dev.switchboard.router.inbox;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.contract.Ack;
import dev.switchboard.protocol.contract.ReadReply;
import dev.switchboard.protocol.contract.ReadRequest;
import dev.switchboard.protocol.contract.RecvRequest;
import dev.switchboard.protocol.frame.OpNames;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.router.store.ConversationStore;
import dev.switchboard.router.store.InboxStore;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Receipts. {@code im.router.recv} ({@link RecvRequest} → {@link Ack}): a device confirms its inbox up to a seq; the
 * first confirmation by any device of the user sends each sender {@code msg.delivered {mids, to}}, one frame per
 * sender and at most {@value #MIDS_PER_FRAME} mids each. {@code im.router.read} ({@link ReadRequest} →
 * {@link ReadReply}): moves the read cursor of a conversation; the peer's devices get {@code msg.read {by, upTo}} with
 * {@code upTo} in the peer's own inbox seqs, the reader's other devices {@code msg.read {by, peer, upTo}}.
 */
public final class Receipts {
  static final int MIDS_PER_FRAME = 500;

  private final InboxStore inbox;
  private final ConversationStore conversations;
  private final EventBus bus;
  private final UserBus users;

  public Receipts(InboxStore inbox, ConversationStore conversations, EventBus bus, UserBus users) {
    this.inbox = inbox;
    this.conversations = conversations;
    this.bus = bus;
    this.users = users;
  }

  public void recv(Message<RecvRequest> request) {
    RecvRequest r = request.body();
    long uid = r.uid();
    inbox.recv(uid, r.device(), r.upTo())
        .onSuccess(newly -> {
          notifySenders(uid, newly);
          request.reply(Ack.INSTANCE);
        })
        .onFailure(t -> ImException.failReply(request, t));
  }

  private void notifySenders(long uid, Map<Long, List<Long>> bySender) {
    bySender.forEach((sender, mids) -> {
      for (int i = 0; i < mids.size(); i += MIDS_PER_FRAME) {
        JsonArray chunk = new JsonArray();
        for (long mid : mids.subList(i, Math.min(mids.size(), i + MIDS_PER_FRAME))) {
          chunk.add(Long.toString(mid));
        }
        users.publish(sender, OutFrame.of(new JsonObject().put("op", OpNames.MSG_DELIVERED)
            .put("mids", chunk).put("to", uid)));
      }
    });
  }

  public void read(Message<ReadRequest> request) {
    ReadRequest r = request.body();
    long uid = r.uid();
    long peer = r.peer();
    long upTo = r.upTo();
    conversations.read(uid, peer, upTo)
        .onSuccess(mark -> {
          if (mark.peerSeq() != 0) {
            users.publish(peer, OutFrame.of(new JsonObject().put("op", OpNames.MSG_READ).put("by", uid)
                .put("upTo", mark.peerSeq())));
          }
          users.publish(uid, OutFrame.of(new JsonObject().put("op", OpNames.MSG_READ).put("by", uid)
                  .put("peer", peer).put("upTo", upTo)),
              new DeliveryOptions().addHeader(BusHeaders.SKIP, r.session()));
          request.reply(new ReadReply(mark.unread()));
        })
        .onFailure(t -> ImException.failReply(request, t));
  }
}

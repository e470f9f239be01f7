package dev.switchboard.router.sending;

import dev.switchboard.shared.Addresses;
import dev.switchboard.shared.BusHeaders;
import dev.switchboard.shared.ImException;
import dev.switchboard.shared.config.RouterConfig;
import dev.switchboard.shared.frame.MessageJson;
import dev.switchboard.shared.frame.OutFrame;
import dev.switchboard.shared.frame.SharedJsonCodec;
import dev.switchboard.shared.ids.MidGenerator;
import dev.switchboard.shared.store.BatchWriter;
import dev.switchboard.shared.store.SendLimits;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

/**
 * One-to-one sends ({@code im.router.send}): size check (the rate limit was applied by the sender's gateway), durable
 * write (batched), then delivery and the ack. Request {@code {from, session, cid, to, type, body}}; reply
 * {@code {mid, seq, ts}} where {@code seq} is the sender's inbox seq; failures carry their {@link ErrorCode}.
 *
 * <p>The ack is sent only after the message is committed; the {@code msg} frames are published after the commit and
 * before the ack, encoded once per seq owner (recipient, sender) and shared by every session of that user.
 */
public final class Sends {
  private static final DeliveryOptions NO_COPY = new DeliveryOptions().setCodecName(SharedJsonCodec.NAME);

  private final EventBus bus;
  private final SendLimits limits;
  private final MidGenerator mids;
  private final BatchWriter<MessageStore.Item, Stored> writer;

  public Sends(Vertx vertx, Pool pool, StateStore state, MidGenerator mids, RouterConfig config) {
    this.bus = vertx.eventBus();
    this.limits = new SendLimits(config.maxBodyBytes());
    this.mids = mids;
    MessageStore store = new MessageStore(pool, config.contactsOnly());
    this.writer = new BatchWriter<>(vertx, "direct", store::write, config.maxBatch(), config.flushDelayMs(), config.maxPending());
  }

  public void handle(Message<JsonObject> request) {
    Future<JsonObject> reply;
    try {
      reply = send(request.body());
    } catch (ImException e) {
      reply = Future.failedFuture(e);
    }
    reply.onSuccess(r -> request.reply(r, NO_COPY)).onFailure(t -> ImException.failReply(request, t));
  }

  private Future<JsonObject> send(JsonObject r) {
    SendRequest send = SendRequest.from(r, limits.encodeBody(r.getValue("body")));
    // The send rate is limited before the request, by the gateway (sessions) and the bridge (bots); pushes persisted
    // by the push API come from a trusted service and are not limited.
    Future<Void> allowed = Future.succeededFuture();
    return allowed
        .compose(v -> {
          long mid = mids.next();
          return writer.submit(new MessageStore.Item(send, mid, MidGenerator.timestampOf(mid)));
        })
        .map(stored -> {
          if (!stored.duplicate()) {
            deliver(send, stored);
          }
          return new JsonObject().put("mid", Long.toString(stored.mid())).put("seq", stored.senderSeq())
              .put("ts", stored.ts());
        });
  }

  private void deliver(SendRequest r, Stored s) {
    DeliveryOptions notToSendingDevice = new DeliveryOptions().addHeader(BusHeaders.SKIP, r.session());
    if (!r.toSelf()) {
      bus.publish(Addresses.user(r.to()), OutFrame.of(MessageJson.message(s.mid(), r.cid(), r.from(), r.to(),
          s.recipientSeq(), s.ts(), r.type(), r.body(), false)));
    }
    bus.publish(Addresses.user(r.from()), OutFrame.of(MessageJson.message(s.mid(), r.cid(), r.from(), r.to(),
        s.senderSeq(), s.ts(), r.type(), r.body(), false)), notToSendingDevice);
  }
}

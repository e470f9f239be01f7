package dev.switchboard.router.sending;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.contract.SendReply;
import dev.switchboard.protocol.contract.SendRequest;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.protocol.frame.ReplySnapshot;
import dev.switchboard.router.RouterConfig;
import dev.switchboard.router.store.SendStore.Send;
import dev.switchboard.router.store.SendStore.Stored;
import dev.switchboard.router.store.SendStore;
import dev.switchboard.shared.hooks.BeforeSendHook;
import dev.switchboard.shared.ids.MidGenerator;
import dev.switchboard.shared.store.BatchWriter;
import dev.switchboard.shared.store.SendLimits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * One-to-one sends ({@code im.router.send}, {@link SendRequest} → {@link SendReply}): size check (the rate limit was
 * applied by the sender's gateway, or the bridge for a bot), durable write (batched), then delivery and the ack;
 * failures carry their {@link ErrorCode}.
 *
 * <p>The ack is sent only after the message is committed; the {@code msg} frames are published after the commit and
 * before the ack, written once per seq owner (recipient, sender) as bytes with the body spliced in as it arrived, and
 * shared by every session of that user.
 */
public final class Sends {
  private final EventBus bus;
  private final UserBus users;
  private final SendLimits limits;
  private final MidGenerator mids;
  private final BatchWriter<Send, Stored> writer;
  private final BeforeSendHook hook;
  private final SendEvents events;

  /**
   * Sends written to {@code store}, batched as {@code config} says, with one {@link PeerJudge} ask per batch.
   * {@code hook} (null: none) sees each send that is not a push before it is written; {@code events} (null: no hook
   * event configured) emits the webhook events of each send after the commit.
   */
  public Sends(Vertx vertx, SendStore store, MidGenerator mids, RouterConfig config, BeforeSendHook hook,
               SendEvents events) {
    this.hook = hook;
    this.events = events;
    this.bus = vertx.eventBus();
    this.users = UserBus.of(vertx);
    this.limits = new SendLimits(config.maxBodyBytes());
    this.mids = mids;
    PeerJudge peers = new PeerJudge(bus, config.contactsOnly(), config.askTimeoutMs());
    // The ask goes out before the store starts its transaction, and is awaited inside it.
    this.writer = new BatchWriter<>(vertx, "direct", batch -> store.write(batch, peers.ask(batch)), config.maxBatch(),
        config.flushDelayMs(), config.maxPending());
  }

  public void handle(Message<Object> request) {
    Future<SendReply> reply;
    try {
      if (!(request.body() instanceof SendRequest send)) {
        throw new ImException(ErrorCode.BAD_REQUEST, "im.router.send takes a SendRequest");
      }
      reply = send(send);
    } catch (ImException e) {
      reply = Future.failedFuture(e);
    }
    reply.onSuccess(request::reply).onFailure(t -> ImException.failReply(request, t));
  }

  private Future<SendReply> send(SendRequest request) {
    String checked = limits.checkBody(request.body());
    // The send rate is limited before the request, by the gateway (sessions) and the bridge (bots); pushes persisted
    // by the push API come from a trusted service and are not limited, nor shown to the before-send hook. The hook
    // runs before the write, where duplicates are found: a retry of a rewritten send is asked again, and stored once.
    Future<SendRequest> allowed = hook == null || request.push() ? Future.succeededFuture(request)
        : hook.check("direct", new JsonObject().put("from", request.from()).put("to", request.to())
            .put("cid", request.cid()).put("type", request.msgType()), request.body())
            .map(verdict -> verdict.body() == null ? request : request.withBody(verdict.body()));
    return allowed
        .compose(send -> {
          String bodyText = send == request ? checked : limits.checkBody(send.body());
          long mid = mids.next();
          return writer.submit(new Send(send, bodyText, mid, MidGenerator.timestampOf(mid))).map(stored -> {
                if (!stored.duplicate()) {
                  deliver(send, stored);
                  if (events != null) {
                    events.sent(send, stored);
                  }
                }
                return new SendReply(stored.mid(), stored.senderSeq(), stored.ts(), 0, stored.duplicate());
              });
        });
  }

  private void deliver(SendRequest r, Stored s) {
    byte[] reply = ReplySnapshot.bytes(s.reply());
    if (!r.toSelf()) {
      users.publish(r.to(), MessageJson.messageFrame(s.mid(), r.cid(), r.from(), r.to(), 0, s.recipientSeq(), s.ts(),
          r.msgType(), r.body(), reply, null, false));
    }
    users.publish(r.from(), MessageJson.messageFrame(s.mid(), r.cid(), r.from(), r.to(), 0, s.senderSeq(), s.ts(),
        r.msgType(), r.body(), reply, null, false), new DeliveryOptions().addHeader(BusHeaders.SKIP, r.session()));
  }
}

package dev.switchboard.router.sending;

import dev.switchboard.protocol.contract.SendRequest;
import dev.switchboard.router.store.ConversationStore;
import dev.switchboard.router.store.SendStore.Stored;
import dev.switchboard.shared.hooks.EventData;
import dev.switchboard.shared.hooks.HookEmitter;
import dev.switchboard.shared.hooks.OfflineCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The webhook events of one-to-one sends, emitted after the commit and the delivery: {@code message.sent}, and
 * {@code message.offline} when the recipient has no live session (its unread count read from its conversation).
 * Nothing is built unless an event of the type is wanted. A failed presence or unread read drops that notification,
 * counted in {@code switchboard.webhook.emit.failed{type}} ({@link HookEmitter#failed}). On the router's event loop.
 */
public final class SendEvents {
  private final HookEmitter emitter;
  private final OfflineCheck presence;
  private final ConversationStore conversations;

  public SendEvents(HookEmitter emitter, OfflineCheck presence, ConversationStore conversations) {
    this.emitter = emitter;
    this.presence = presence;
    this.conversations = conversations;
  }

  /** Emits the events of {@code r}, stored as {@code s}; never throws (the send is committed and acked already). */
  void sent(SendRequest r, Stored s) {
    try {
      emit(r, s);
    } catch (RuntimeException e) {
      HookEmitter.failed("message.sent");
    }
  }

  private void emit(SendRequest r, Stored s) {
    boolean sent = emitter.wants("message.sent");
    boolean offline = !r.toSelf() && emitter.wants("message.offline");
    if (!sent && !offline) {
      return;
    }
    Object body = EventData.body(r.body());
    if (sent) {
      emitter.emit("message.sent", "message.sent:" + s.mid(), s.ts(), new JsonObject()
          .put("mid", Long.toString(s.mid())).put("cid", r.cid()).put("from", r.from()).put("to", r.to())
          .put("senderSeq", s.senderSeq()).put("recipientSeq", s.recipientSeq()).put("ts", s.ts())
          .put("type", r.msgType()).put("body", body));
    }
    if (offline) {
      presence.offline(List.of(r.to()))
          .compose(off -> off.isEmpty() ? Future.succeededFuture(-1L)
              : conversations.unread(r.to(), r.from()))
          .onSuccess(unread -> {
            if (unread >= 0) {
              emitter.emit("message.offline", "message.offline:" + s.mid() + ":" + r.to(), s.ts(),
                  EventData.offline(r.to(), r.from(), "direct", r.from(), s.mid(), r.msgType(), body, unread));
            }
          })
          .onFailure(t -> HookEmitter.failed("message.offline"));
    }
  }
}

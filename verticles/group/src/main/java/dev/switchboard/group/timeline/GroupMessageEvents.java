package dev.switchboard.group.timeline;

import dev.switchboard.group.store.TimelineStore;
import dev.switchboard.group.store.TimelineStore.Stored;
import dev.switchboard.protocol.contract.GroupSendRequest;
import dev.switchboard.shared.hooks.EventData;
import dev.switchboard.shared.hooks.HookEmitter;
import dev.switchboard.shared.hooks.OfflineCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The webhook events of group sends, emitted after the commit and the publish: {@code group.message.sent}, and one
 * {@code message.offline} per member other than the sender with no live session, only in groups of at most
 * {@code hooks.offlineMaxGroupSize} members (larger groups get none: the check reads every member's presence), and only
 * to members whose notification level lets the message through (all; mentions only: a message that mentions them,
 * which then carries {@code mention: true}; none: nothing). The
 * unread count is the member's: the group's seq minus its read cursor. Nothing is built unless an event of the type is
 * wanted; a failed read drops the notifications of that message, counted in
 * {@code switchboard.webhook.emit.failed{type}}. On the group verticle's event loop.
 */
public final class GroupMessageEvents {
  private final HookEmitter emitter;
  private final OfflineCheck presence;
  private final TimelineStore timeline;
  private final int maxGroup;

  public GroupMessageEvents(HookEmitter emitter, OfflineCheck presence, TimelineStore timeline) {
    this.emitter = emitter;
    this.presence = presence;
    this.timeline = timeline;
    this.maxGroup = emitter.config().offlineMaxGroupSize();
  }

  /** Emits the events of {@code r} (body {@code bodyJson}), stored as {@code s}; never throws. */
  void sent(GroupSendRequest r, byte[] bodyJson, Stored s) {
    try {
      emit(r, bodyJson, s);
    } catch (RuntimeException e) {
      HookEmitter.failed("group.message.sent");
    }
  }

  private void emit(GroupSendRequest r, byte[] bodyJson, Stored s) {
    boolean sent = emitter.wants("group.message.sent");
    boolean offline = maxGroup > 0 && emitter.wants("message.offline");
    if (!sent && !offline) {
      return;
    }
    Object body = EventData.body(bodyJson);
    long gid = r.group();
    if (sent) {
      emitter.emit("group.message.sent", "group.message.sent:" + s.mid(), s.ts(), new JsonObject()
          .put("mid", Long.toString(s.mid())).put("cid", r.cid()).put("from", r.from()).put("group", gid)
          .put("seq", s.seq()).put("ts", s.ts()).put("type", r.msgType()).put("body", body));
    }
    if (offline) {
      Map<Long, Long> readSeqs = new HashMap<>();
      Map<Long, Integer> levels = new HashMap<>();
      java.util.Set<Long> mentioned = new java.util.HashSet<>();
      if (s.mentions() != null) {
        new io.vertx.core.json.JsonArray(s.mentions()).forEach(u -> mentioned.add(((Number) u).longValue()));
      }
      timeline.readers(gid, maxGroup + 1)
          .compose(readers -> {
            if (readers.size() > maxGroup) {
              return Future.succeededFuture(List.<Long>of());
            }
            List<Long> others = new ArrayList<>(readers.size());
            for (TimelineStore.Reader m : readers) {
              // Level 2 (none) hears nothing; level 1 (mentions) only messages that mention it.
              boolean mentions = r.mentionAll() || mentioned.contains(m.uid());
              if (m.uid() != r.from() && (m.notifyLevel() == 0 || (m.notifyLevel() == 1 && mentions))) {
                others.add(m.uid());
                readSeqs.put(m.uid(), m.readSeq());
                levels.put(m.uid(), m.notifyLevel());
              }
            }
            return presence.offline(others);
          })
          .onSuccess(off -> {
            for (long uid : off) {
              JsonObject data = EventData.offline(uid, r.from(), "group", gid, s.mid(), r.msgType(), body,
                  Math.max(0, s.seq() - readSeqs.get(uid)));
              if (r.mentionAll() || mentioned.contains(uid)) {
                data.put("mention", true);
              }
              emitter.emit("message.offline", "message.offline:" + s.mid() + ":" + uid, s.ts(), data);
            }
          })
          .onFailure(t -> HookEmitter.failed("message.offline"));
    }
  }
}

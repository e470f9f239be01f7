package dev.switchboard.group.membership;

import dev.switchboard.group.store.GroupStore;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.contract.GroupDissolve;
import dev.switchboard.protocol.contract.GroupJoin;
import dev.switchboard.protocol.contract.GroupLeave;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.protocol.frame.OpNames;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.shared.hooks.HookEmitter;
import dev.switchboard.shared.ids.MidGenerator;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What users hear of group changes, once a change has committed: the {@code group.event} on the group's address, the
 * controls that make the sessions of users who joined or left subscribe or unsubscribe ({@link GroupJoin},
 * {@link GroupLeave}; a dissolve reaches the group's address as a {@link GroupDissolve}), and the {@code group.invite}
 * frames of invitations and their answers. Also mints the events (their mids). Used on the verticle's event loop.
 */
final class GroupEvents {
  private final EventBus bus;
  private final UserBus users;
  private final MidGenerator mids;
  private final HookEmitter hooks;

  /** {@code hooks}: where webhook events go (null: none configured). */
  GroupEvents(EventBus bus, UserBus users, MidGenerator mids, HookEmitter hooks) {
    this.hooks = hooks;
    this.bus = bus;
    this.users = users;
    this.mids = mids;
  }

  /** A new event by {@code by} with {@code details} (which gain {@code by}), stamped with a fresh mid. */
  GroupStore.Event event(long by, JsonObject details) {
    long mid = mids.next();
    return new GroupStore.Event(mid, MidGenerator.timestampOf(mid), by, details.put("by", by));
  }

  /**
   * Publishes {@code event}, at {@code seq} of {@code gid}'s timeline: the group's current members hear it through the
   * group's address; users who {@code joined} or {@code left} through their own address inside a control record
   * (they are not, or no longer, subscribed). A dissolve tells every gateway to drop the group.
   */
  void published(long gid, long seq, GroupStore.Event event, List<Long> joined, List<Long> left) {
    OutFrame frame = OutFrame.of(MessageJson.groupEvent(gid, seq, event.ts(), event.details()));
    if (!left.isEmpty()) {
      GroupLeave leave = new GroupLeave(gid, seq, frame.jsonBytes());
      for (long uid : left) {
        users.publish(uid, leave);
      }
    }
    bus.publish(Addresses.group(gid), "dissolved".equals(event.details().getString("kind"))
        ? new GroupDissolve(gid, seq, frame.jsonBytes()) : frame);
    if (!joined.isEmpty()) {
      GroupJoin join = new GroupJoin(gid, seq, frame.jsonBytes());
      for (long uid : joined) {
        users.publish(uid, join);
      }
    }
    hook(gid, seq, event);
  }

  /**
   * The webhook event of a group change: type {@code group.<kind>} (the {@code kind} of the {@code group.event}
   * frame), data {@code {group, seq, ts}} and the frame's own fields ({@code by}, {@code name}, {@code members},
   * {@code member}, ...).
   */
  private void hook(long gid, long seq, GroupStore.Event event) {
    String type = "group." + event.details().getString("kind");
    if (hooks == null || !hooks.wants(type)) {
      return;
    }
    try {
      JsonObject data = event.details().copy();
      data.remove("kind");
      hooks.emit(type, type + ":" + event.mid(), event.ts(),
          new JsonObject().put("group", gid).put("seq", seq).put("ts", event.ts()).mergeIn(data));
    } catch (RuntimeException e) {
      // The change committed and is announced; its webhook event is dropped, counted.
      HookEmitter.failed(type);
    }
  }

  /** Sends each of {@code uids} a {@code group.invite} frame: {@code by} invited them to {@code gid} at {@code at}. */
  void invited(long gid, String name, long by, List<Long> uids, long at) {
    if (uids.isEmpty()) {
      return;
    }
    OutFrame frame = OutFrame.of(new JsonObject().put("op", OpNames.GROUP_INVITE).put("kind", "invited")
        .put("gid", gid).put("name", name).put("by", by).put("at", at));
    uids.forEach(uid -> users.publish(uid, frame));
  }

  /** Tells every device of {@code uid} that their invitation to {@code gid} was answered, so each drops it. */
  void answered(long uid, long gid, String kind) {
    users.publish(uid,
        OutFrame.of(new JsonObject().put("op", OpNames.GROUP_INVITE).put("kind", kind).put("gid", gid)));
  }
}

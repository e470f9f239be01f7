package dev.switchboard.gateway.groups;

import dev.switchboard.gateway.session.Member;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.contract.GroupDissolve;
import dev.switchboard.protocol.frame.OutFrame;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Group fan-out for one gateway instance: at most one consumer per group on {@code im.group.g.<gid>}, held while at
 * least one local session of a member is online (reference counted by those sessions). A group message reaches this
 * instance once and its one encoded frame is written to every local member session; a {@link GroupDissolve} control
 * is shown to every member session, then the subscription is dropped. Confined to the instance's event loop.
 */
public final class GroupFanout {
  private static final class Subscription {
    final MessageConsumer<Object> consumer;
    final Set<Member> members = new LinkedHashSet<>();

    Subscription(MessageConsumer<Object> consumer) {
      this.consumer = consumer;
    }
  }

  private final EventBus bus;
  private final Map<Long, Subscription> groups = new HashMap<>();

  public GroupFanout(EventBus bus) {
    this.bus = bus;
  }

  /** Adds a member session to the group's subscription; completes once the group's consumer is registered. */
  public Future<Void> join(Member c, long gid) {
    Subscription s = groups.get(gid);
    if (s == null) {
      s = new Subscription(bus.consumer(Addresses.group(gid), m -> deliver(gid, m)));
      groups.put(gid, s);
    }
    s.members.add(c);
    return s.consumer.completion();
  }

  /** Removes a member session; the last one out unregisters the group's consumer. */
  public void leave(Member c, long gid) {
    Subscription s = groups.get(gid);
    if (s != null && s.members.remove(c) && s.members.isEmpty()) {
      groups.remove(gid);
      s.consumer.unregister();
    }
  }

  private void deliver(long gid, Message<Object> m) {
    Subscription s = groups.get(gid);
    if (s == null) {
      return;
    }
    GroupDissolve dissolve = m.body() instanceof GroupDissolve d ? d : null;
    OutFrame frame = dissolve != null ? OutFrame.ofJsonBytes(dissolve.frame())
        : m.body() instanceof OutFrame f ? f : null;
    if (frame == null) {
      return;
    }
    String skip = m.headers().get(BusHeaders.SKIP);
    // A write may close a slow session, which leaves the set: iterate over a snapshot.
    Member[] members = s.members.toArray(new Member[0]);
    for (Member c : members) {
      if (skip == null || !skip.equals(c.sessionId())) {
        c.deliver(frame, false);
      }
    }
    if (dissolve != null) {
      for (Member c : members) {
        c.leftGroup(gid);
      }
      groups.remove(gid);
      s.consumer.unregister();
    }
  }

  /** Groups with a consumer on this instance. */
  public int subscribedGroups() {
    return groups.size();
  }
}

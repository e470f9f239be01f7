package dev.switchboard.bridge;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.frame.OutFrame;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * While at least one bridge connection speaks for a bot, everything delivered to the bot's user address
 * ({@code im.user.<uid>}, frames encoded for sockets) is republished as JSON on {@code im.bot.<name>}, where bridge
 * clients may consume it: frames only, never control records. The bot's own messages echoed back to it are not
 * republished (no reply loops).
 *
 * <p>Called on the verticle's event loop only.
 */
final class BotRelays {
  /** The session id a bot's sends carry, so that their copies to the bot itself are skipped. */
  static String session(String bot) {
    return "bridge:" + bot;
  }

  private record Relay(MessageConsumer<Object> consumer, long uid, Future<Void> ready, int[] users) {
  }

  private final EventBus bus;
  private final UserBus users;
  private final Map<String, Relay> relays = new HashMap<>();

  BotRelays(Vertx vertx) {
    this.bus = vertx.eventBus();
    this.users = UserBus.of(vertx);
  }

  /** Starts (or shares) the relay of bot {@code name}; completes once it is registered cluster-wide. */
  Future<Void> acquire(String name, long uid) {
    Relay r = relays.get(name);
    if (r != null) {
      r.users[0]++;
      return r.ready;
    }
    String skip = session(name);
    String out = Addresses.bot(name);
    MessageConsumer<Object> c = users.consumer(uid, m -> {
      if (m.body() instanceof OutFrame frame && !skip.equals(m.headers().get(BusHeaders.SKIP))) {
        bus.publish(out, new JsonObject(frame.toString()));
      }
    });
    Future<Void> ready = Future.all(c.completion(), users.join(uid)).mapEmpty();
    relays.put(name, new Relay(c, uid, ready, new int[] {1}));
    return ready;
  }

  void release(String name) {
    Relay r = relays.get(name);
    if (r != null && --r.users[0] == 0) {
      relays.remove(name);
      r.consumer.unregister();
      users.leave(r.uid);
    }
  }

  Future<Void> close() {
    List<Future<Void>> all = new ArrayList<>();
    relays.values().forEach(r -> {
      all.add(r.consumer.unregister());
      users.leave(r.uid);
    });
    relays.clear();
    return Future.all(all).mapEmpty();
  }
}

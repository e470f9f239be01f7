package dev.switchboard.api.presence;

import dev.switchboard.api.store.ContactStore;
import dev.switchboard.api.store.UserStore;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.contract.PresenceAudience;
import dev.switchboard.protocol.contract.PresenceChange;
import dev.switchboard.protocol.frame.OpNames;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.shared.store.PresenceReader;
import dev.switchboard.shared.store.StateKeys;
import dev.switchboard.shared.store.StateStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Live presence for contacts: turns the gateways' per-session changes ({@link PresenceChange} on
 * {@code im.api.presence}, any API instance) into one {@code presence {uid, online, lastSeen?}} frame per change of the
 * user as a whole, encoded once and published to each of the user's contacts ({@link UserBus}).
 *
 * <ul>
 *   <li>Online: when a session started and the user's announced flag ({@link StateKeys#presenceAnnounced}) could be
 *   set where it was absent. A second device, or a login on another node, finds it set and announces nothing. If the
 *   session is gone already by then, its offline is judged after the grace.</li>
 *   <li>Offline: a session's end waits out {@link PresenceConfig#offlineGraceMs}; then, when no live session is left,
 *   deleting the flag decides who announces (the one delete that found it). A reconnect within the grace finds the
 *   flag still set: no offline, no online. {@code lastSeen} is when the latest session ended, stored in
 *   {@code user_last_seen}. After announcing, the hash is read again: a login that raced the offline (and found the
 *   flag still set) is announced then.</li>
 *   <li>Contacts and the {@code lastSeen} setting come from {@link Audiences}; a change of either through this API is
 *   published as {@link PresenceAudience} on {@code im.api.presence.audience} so every instance drops its copy.</li>
 * </ul>
 * Each user's steps run one after the other on an instance. Confined to the API instance's event loop. A state or
 * database failure drops that one announcement and counts it in {@code switchboard.presence.failures}; the next
 * change of the user is judged afresh.
 */
public final class LivePresence {
  private static final Counter FAILURES = Counter.builder("switchboard.presence.failures")
      .description("presence changes not announced because shared state or the database failed")
      .register(Metrics.globalRegistry);
  private static final Counter ANNOUNCED = Counter.builder("switchboard.presence.announced")
      .description("presence changes announced to a user's contacts").register(Metrics.globalRegistry);

  private final Vertx vertx;
  private final StateStore state;
  private final PresenceReader reader;
  private final UserStore users;
  private final UserBus userBus;
  private final PresenceConfig config;
  private final Audiences audiences;
  /** Users waiting out their offline grace on this instance, with the timer's id; at most {@code maxPending}. */
  private final Map<Long, Long> pending = new HashMap<>();
  /** The step under way per user ({@link #inTurn}). */
  private final Map<Long, Future<Void>> turns = new HashMap<>();
  private MessageConsumer<Object> changes;
  private MessageConsumer<Object> audienceChanges;

  public LivePresence(Vertx vertx, StateStore state, UserStore users, ContactStore contacts, PresenceConfig config) {
    this.vertx = vertx;
    this.state = state;
    this.reader = new PresenceReader(state);
    this.users = users;
    this.userBus = UserBus.of(vertx);
    this.config = config;
    this.audiences = new Audiences(contacts, users, config);
  }

  /** Registers the consumers; completes when both are registered. Call from the API instance's event loop. */
  public Future<Void> start() {
    changes = vertx.eventBus().consumer(Addresses.API_PRESENCE, m -> {
      if (m.body() instanceof PresenceChange c) {
        changed(c);
      }
    });
    audienceChanges = vertx.eventBus().consumer(Addresses.API_PRESENCE_AUDIENCE, m -> {
      if (m.body() instanceof PresenceAudience a) {
        audiences.drop(a.uids());
      }
    });
    return Future.all(changes.completion(), audienceChanges.completion()).mapEmpty();
  }

  /** Cancels the waiting offlines (another instance judges each user's next change) and unregisters. */
  public Future<Void> stop() {
    pending.values().forEach(vertx::cancelTimer);
    pending.clear();
    return Future.join(changes.unregister(), audienceChanges.unregister()).mapEmpty();
  }

  /** Tells every API instance that who hears {@code uids}' presence changed (call after the change is stored). */
  public static void audienceChanged(io.vertx.core.eventbus.EventBus bus, long... uids) {
    bus.publish(Addresses.API_PRESENCE_AUDIENCE,
        new PresenceAudience(java.util.Arrays.stream(uids).boxed().toList()));
  }

  private void changed(PresenceChange c) {
    long uid = c.uid();
    if (c.online()) {
      inTurn(uid, () -> sessionStarted(uid));
      return;
    }
    state.set(StateKeys.presenceEnded(uid), Long.toString(c.at()), config.offlineGraceMs() + 60_000)
        .onComplete(ar -> waitOut(uid));
  }

  /** Judges {@code uid}'s offline once the grace has passed since their latest session ended. */
  private void waitOut(long uid) {
    Long timer = pending.remove(uid);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
    if (config.offlineGraceMs() == 0 || pending.size() >= config.maxPending()) {
      inTurn(uid, () -> judgeOffline(uid));
      return;
    }
    pending.put(uid, vertx.setTimer(config.offlineGraceMs(), t -> {
      pending.remove(uid);
      inTurn(uid, () -> judgeOffline(uid));
    }));
  }

  /**
   * Runs {@code step} for {@code uid} after the user's previous step on this instance completed: a session that ends
   * right after it began is judged offline only once its online was judged, so neither reads the other's half-done
   * state. Only users with a step under way have an entry.
   */
  private void inTurn(long uid, Supplier<Future<Void>> step) {
    Future<Void> previous = turns.get(uid);
    Future<Void> mine = (previous == null ? Future.<Void>succeededFuture()
        : previous.transform(ar -> Future.<Void>succeededFuture()))
        .compose(v -> step.get())
        .recover(t -> {
          FAILURES.increment();
          return Future.succeededFuture();
        });
    turns.put(uid, mine);
    mine.onComplete(ar -> turns.remove(uid, mine));
  }

  private Future<Boolean> live(long uid) {
    return reader.read(List.of(uid)).map(s -> !s.get(0).live().isEmpty());
  }

  private Future<Void> cameOnline(long uid) {
    return live(uid).compose(on -> on ? state.setIfAbsent(StateKeys.presenceAnnounced(uid),
            Long.toString(System.currentTimeMillis()), 0) : Future.succeededFuture(false))
        .compose(set -> set ? announce(uid, true, null) : Future.succeededFuture());
  }

  /**
   * A gateway says a session of {@code uid} started: that is the evidence of the online, whatever the presence hash
   * holds by the time this runs (a session that ended at once is already gone from it, and judging by the hash alone
   * would announce neither its online nor its offline). The one that sets the flag announces; it then reads the hash,
   * and a user with no live session left is judged offline after the grace (an offline change handled before this
   * one, possibly on another instance, found no flag to delete and announced nothing).
   */
  private Future<Void> sessionStarted(long uid) {
    return state.setIfAbsent(StateKeys.presenceAnnounced(uid), Long.toString(System.currentTimeMillis()), 0)
        .compose(set -> !set ? Future.<Void>succeededFuture() : announce(uid, true, null)
            .compose(v -> live(uid))
            .map(on -> {
              if (!on) {
                waitOut(uid);
              }
              return null;
            }));
  }

  private Future<Void> judgeOffline(long uid) {
    return live(uid).compose(on -> on ? Future.succeededFuture(false) : state.delete(StateKeys.presenceAnnounced(uid)))
        .compose(deleted -> {
          if (!deleted) {
            return Future.succeededFuture();
          }
          return state.get(StateKeys.presenceEnded(uid)).compose(ended -> {
            long at = ended == null ? System.currentTimeMillis() : Long.parseLong(ended);
            return users.setLastSeen(uid, at).compose(v -> announce(uid, false, at));
          }).compose(v -> cameOnline(uid));
        });
  }

  /** One frame for the change, published to each contact of {@code uid}. */
  private Future<Void> announce(long uid, boolean online, Long lastSeen) {
    return audiences.of(uid).map(audience -> {
      JsonObject frame = new JsonObject().put("op", OpNames.PRESENCE).put("uid", uid).put("online", online);
      if (lastSeen != null && audience.setting() != LastSeen.NOBODY) {
        frame.put("lastSeen", lastSeen);
      }
      OutFrame encoded = OutFrame.of(frame);
      for (long contact : audience.contacts()) {
        userBus.publish(contact, encoded);
      }
      ANNOUNCED.increment();
      return null;
    });
  }
}

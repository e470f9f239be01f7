package dev.switchboard.protocol;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivery to every session of a user wherever it is: what {@code im.user.<uid>} means. Publishers call
 * {@link #publish}; the gateway (sessions) and the bridge (bots) consume with {@link #consumer} and {@link #join}.
 *
 * <p>Alone (not clustered), {@code im.user.<uid>} is an ordinary address. In a cluster a login must not write
 * Hazelcast's subscription map, which every member hears about (measured: docs/benchmarks.md, "Cluster logins"), so
 * the address has two levels:
 * <ul>
 *   <li>a session's consumer on {@code im.user.<uid>} is <em>local</em> to its process;</li>
 *   <li>each process registers one clustered consumer on {@code im.user.shard.<k>} ({@link Addresses#userShard}) for
 *       every shard {@code k = uid mod SHARDS} it holds a session of, the first time it does, and drops it once none
 *       has been held for {@link #LINGER_MS};</li>
 *   <li>a publish to a user goes to its shard's address with the uid in header {@link #UID}: it reaches each process
 *       holding a session of that shard once, which publishes it locally on {@code im.user.<uid>}.</li>
 * </ul>
 * A login therefore registers nothing cluster-wide unless its process holds no other session of the user's shard;
 * the price is that a message reaches every process holding some session of the shard (with many sessions per
 * gateway: every gateway), where a user address reached only the processes of that user. {@link #SHARDS} is the same
 * on every process (a constant, not a setting: a publisher and a consumer that disagreed would lose messages).
 *
 * <p>The shard consumers live on a context of their own (a verticle this class deploys), not on a gateway instance's:
 * undeploying one instance must not take the shard away from the others of its process. Thread-safe.
 */
public final class UserBus {
  /** Shards of the user address space in a cluster. */
  public static final int SHARDS = 1024;
  /** How long a process keeps a shard's consumer after its last session of that shard left. */
  public static final long LINGER_MS = 60_000;
  /** Header naming the user of a message published to a shard address. */
  public static final String UID = "uid";

  private static final Map<Vertx, UserBus> BUSES = Collections.synchronizedMap(new WeakHashMap<>());
  /** A shard held: completed, bound to no context (a caller's next step runs at once, on its own thread). */
  private static final Future<Void> HELD = Future.succeededFuture();

  private final Vertx vertx;
  private final EventBus bus;
  /** Sharded (a cluster in {@link Mode#SHARDS}): two levels; otherwise every consumer registers its own address. */
  private final boolean clustered;
  /** Clustered only, guarded by {@code this}: sessions of each shard on this process, and each shard's consumer. */
  private final int[] sessions = new int[SHARDS];
  private final long[] idleSince = new long[SHARDS];
  @SuppressWarnings("unchecked")
  private final MessageConsumer<Object>[] consumers = new MessageConsumer[SHARDS];
  @SuppressWarnings("unchecked")
  private final Future<Void>[] ready = new Future[SHARDS];
  /**
   * Clustered only: consumers per user on this process, keyed by the uid in decimal as the {@link #UID} header
   * carries it, so a shard's message is matched without parsing or boxing (one for a user with none is dropped unread).
   */
  private final ConcurrentHashMap<String, Integer> local = new ConcurrentHashMap<>();
  private Future<Context> home;
  private int registered;

  /** How a cluster addresses users ({@code cluster.userAddresses}). */
  public enum Mode {
    /** Two levels: local consumers behind one clustered consumer per shard a process holds (the default). */
    SHARDS,
    /**
     * One clustered consumer per session (and bridge bot) on {@code im.user.<uid>}: a message reaches only the
     * processes of that user, every login writes the cluster's subscription map.
     */
    USERS;

    /** {@code shards} or {@code users} (null: shards). */
    public static Mode of(String name) {
      if (name == null || name.equals("shards")) {
        return SHARDS;
      }
      if (name.equals("users")) {
        return USERS;
      }
      throw new IllegalArgumentException("cluster.userAddresses must be shards or users, not '" + name + "'");
    }
  }

  private UserBus(Vertx vertx, Mode mode) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.clustered = vertx.isClustered() && mode == Mode.SHARDS;
  }

  /** The user bus of {@code vertx} (one per Vert.x instance; {@link Mode#SHARDS} unless {@link #install}ed). */
  public static UserBus of(Vertx vertx) {
    return BUSES.computeIfAbsent(vertx, v -> new UserBus(v, Mode.SHARDS));
  }

  /**
   * Sets how {@code vertx} addresses users; the launcher calls it before deploying any verticle (a verticle that
   * already took the bus would keep the other mode, so a second, different install fails).
   */
  public static UserBus install(Vertx vertx, Mode mode) {
    UserBus bus = BUSES.computeIfAbsent(vertx, v -> new UserBus(v, mode));
    if (bus.clustered != (vertx.isClustered() && mode == Mode.SHARDS)) {
      throw new IllegalStateException("the user bus of this Vert.x instance already runs in the other mode");
    }
    return bus;
  }

  /** The shard of user {@code uid}. */
  public static int shard(long uid) {
    return (int) Math.floorMod(uid, (long) SHARDS);
  }

  /** Publishes {@code body} to every session of {@code uid}, on every process. */
  public void publish(long uid, Object body) {
    publish(uid, body, null);
  }

  /**
   * Publishes {@code body} with {@code options} (null: none; its headers reach the sessions) to every session of
   * {@code uid}.
   */
  public void publish(long uid, Object body, DeliveryOptions options) {
    if (!clustered) {
      bus.publish(Addresses.user(uid), body, options == null ? new DeliveryOptions() : options);
      return;
    }
    DeliveryOptions o = (options == null ? new DeliveryOptions() : new DeliveryOptions(options))
        .addHeader(UID, Long.toString(uid));
    bus.publish(Addresses.userShard(shard(uid)), body, o);
  }

  /**
   * A consumer of {@code uid}'s messages on the caller's context; in a cluster it receives them only once
   * {@link #join} for the same user has completed (call both, then {@link #leave} when the consumer is unregistered).
   */
  public MessageConsumer<Object> consumer(long uid, Handler<Message<Object>> handler) {
    return clustered ? bus.localConsumer(Addresses.user(uid), handler) : bus.consumer(Addresses.user(uid), handler);
  }

  /**
   * Counts a consumer of {@code uid} on this process; completes when messages published to the user from any process
   * reach this one (at once when the process already holds the user's shard, or when not clustered).
   */
  public Future<Void> join(long uid) {
    if (!clustered) {
      return Future.succeededFuture();
    }
    local.merge(Long.toString(uid), 1, Integer::sum);
    int k = shard(uid);
    Future<Void> ready;
    synchronized (this) {
      sessions[k]++;
      if (this.ready[k] == null) {
        this.ready[k] = register(k);
      }
      ready = this.ready[k];
    }
    if (ready == HELD) {
      return ready;
    }
    // The registration's future is bound to the context that started it (this class's, or the first caller's):
    // what the caller does next must run on the caller's own context, where its state is confined.
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return ready;
    }
    Promise<Void> back = Promise.promise();
    ready.onComplete(ar -> {
      if (Vertx.currentContext() == caller) {
        back.handle(ar);
      } else {
        caller.runOnContext(v -> back.handle(ar));
      }
    });
    return back.future();
  }

  /** The consumer of {@code uid} counted by {@link #join} is gone. */
  public void leave(long uid) {
    if (!clustered) {
      return;
    }
    local.computeIfPresent(Long.toString(uid), (u, n) -> n == 1 ? null : n - 1);
    int k = shard(uid);
    synchronized (this) {
      if (sessions[k] > 0 && --sessions[k] == 0) {
        idleSince[k] = System.currentTimeMillis();
      }
    }
  }

  /** Shards this process holds a clustered consumer for (a gauge; 0 when not clustered). */
  public synchronized int registeredShards() {
    return registered;
  }

  /** Registers shard {@code k}'s consumer on the home context; called with the lock held. */
  private Future<Void> register(int k) {
    Future<Void> f = home().compose(ctx -> {
      Promise<Void> done = Promise.promise();
      ctx.runOnContext(v -> {
        MessageConsumer<Object> c = bus.consumer(Addresses.userShard(k), this::relay);
        c.completion().onComplete(ar -> {
          synchronized (this) {
            if (ar.succeeded()) {
              consumers[k] = c;
              registered++;
            }
          }
          done.handle(ar);
        });
      });
      return done.future();
    });
    f.onComplete(ar -> {
      synchronized (this) {
        if (ready[k] == f) {
          ready[k] = ar.succeeded() ? HELD : null;
        }
      }
    });
    return f;
  }

  /**
   * A message for a user of a shard this process holds: to the user's local consumers, headers and all. When the
   * user has none here (another user of the shard has), it is dropped before its body is decoded.
   */
  private void relay(Message<Object> m) {
    String uid = m.headers().get(UID);
    // A key is a canonical decimal uid, so a header that matches one parses.
    if (uid != null && local.containsKey(uid)) {
      bus.publish(Addresses.user(Long.parseLong(uid)), m.body(),
          new DeliveryOptions().setLocalOnly(true).setHeaders(m.headers()));
    }
  }


  /** The context the shard consumers live on: a verticle of this class, deployed on first need. */
  private synchronized Future<Context> home() {
    if (home == null) {
      Home h = new Home();
      home = vertx.deployVerticle(h).map(id -> h.context());
    }
    return home;
  }

  /** Drops the consumers of shards no session has needed for {@link #LINGER_MS}; runs on the home context. */
  private void sweep() {
    long now = System.currentTimeMillis();
    synchronized (this) {
      for (int k = 0; k < SHARDS; k++) {
        if (sessions[k] == 0 && consumers[k] != null && now - idleSince[k] >= LINGER_MS) {
          consumers[k].unregister();
          consumers[k] = null;
          ready[k] = null;
          registered--;
        }
      }
    }
  }

  /** Owns the shard consumers and the sweep. */
  private final class Home extends VerticleBase {
    Context context() {
      return context;
    }

    @Override
    public Future<?> start() {
      vertx.setPeriodic(LINGER_MS / 4, id -> sweep());
      return Future.succeededFuture();
    }
  }
}

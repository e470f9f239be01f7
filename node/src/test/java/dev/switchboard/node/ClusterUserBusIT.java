package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.shared.testing.Ports;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The two-level user address of a cluster ({@link UserBus}) between two clustered Vert.x instances in one JVM
 * (Hazelcast on loopback): sessions' consumers are local, each process registers one consumer per shard it holds a
 * session of, and a publish to a user reaches that user's consumers on every process, once, with its headers.
 */
@Timeout(120)
@Isolated
class ClusterUserBusIT {
  private static final String SECRET = "cluster-test-secret-" + UUID.randomUUID();
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  private Vertx clustered(String name, int port, int... members) throws Exception {
    return ClusteredVertx.start(name, SECRET, port, cleanup, members);
  }

  /** Two members of a new cluster. */
  private Vertx[] twoMembers(String prefix) throws Exception {
    String name = prefix + UUID.randomUUID();
    int hzA = Ports.free();
    int hzB = Ports.free();
    return new Vertx[] {clustered(name, hzA, hzA, hzB), clustered(name, hzB, hzA, hzB)};
  }

  /** A consumer of {@code uid} on {@code vertx} that queues what it gets (body and skip header); joined. */
  private static BlockingQueue<String> consume(Vertx vertx, long uid) throws Exception {
    BlockingQueue<String> got = new LinkedBlockingQueue<>();
    UserBus users = UserBus.of(vertx);
    MessageConsumer<Object> c = users.consumer(uid, m -> got.add(m.body() + "|" + m.headers().get(BusHeaders.SKIP)));
    await(Future.all(c.completion(), users.join(uid)));
    return got;
  }

  /** The context of a verticle deployed on {@code vertx} (two calls: two contexts, as two gateway instances). */
  private static Context contextOf(Vertx vertx) throws Exception {
    CompletableFuture<Context> ctx = new CompletableFuture<>();
    await(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        ctx.complete(context);
        return Future.succeededFuture();
      }
    }));
    return ctx.get(TestNode.WAIT_S, TimeUnit.SECONDS);
  }

  /** Joins {@code uid} on {@code caller}; the context the join's continuation ran on. */
  private static Object joinedOn(Vertx vertx, Context caller, long uid) throws Exception {
    CompletableFuture<Object> ranOn = new CompletableFuture<>();
    caller.runOnContext(v -> UserBus.of(vertx).join(uid).onComplete(ar -> ranOn.complete(Vertx.currentContext())));
    return ranOn.get(TestNode.WAIT_S, TimeUnit.SECONDS);
  }

  @Test
  void whatFollowsAJoinRunsOnTheCallersContext() throws Exception {
    // A shard's registration completes on UserBus's own context (or on whichever instance started it); a gateway
    // instance's next step (bookkeeping its event loop alone touches) must still run on that instance's context.
    int hz = Ports.free();
    Vertx a = clustered("userbus-ctx-" + UUID.randomUUID(), hz, hz);
    Context first = contextOf(a);
    Context second = contextOf(a);
    assertNotSame(first, second);
    assertSame(first, joinedOn(a, first, 42));
    assertSame(second, joinedOn(a, second, 43), "a new shard's registration, started from the second instance");
    assertSame(second, joinedOn(a, second, 42 + UserBus.SHARDS), "a shard already held");
    assertEquals(2, UserBus.of(a).registeredShards());
  }

  @Test
  void aPublishReachesTheUsersConsumersOnEveryProcessOnceAndLoginsShareOneRegistrationPerShard() throws Exception {
    Vertx[] ab = twoMembers("userbus-");
    Vertx a = ab[0];
    Vertx b = ab[1];
    long uid = 7;
    long sameShard = uid + UserBus.SHARDS;
    BlockingQueue<String> onB = consume(b, uid);
    BlockingQueue<String> otherOnB = consume(b, sameShard);
    BlockingQueue<String> onA = consume(a, uid);
    assertEquals(1, UserBus.of(b).registeredShards(), "two users of one shard: one clustered consumer on B");

    UserBus.of(a).publish(uid, "hello", new DeliveryOptions().addHeader(BusHeaders.SKIP, "s1"));
    assertEquals("hello|s1", onB.poll(TestNode.WAIT_S, TimeUnit.SECONDS), "from A to the user's consumer on B");
    assertEquals("hello|s1", onA.poll(TestNode.WAIT_S, TimeUnit.SECONDS), "and on A itself");
    UserBus.of(b).publish(uid, "again");
    assertEquals("again|null", onB.poll(TestNode.WAIT_S, TimeUnit.SECONDS));
    assertEquals("again|null", onA.poll(TestNode.WAIT_S, TimeUnit.SECONDS));
    // A marker published last: once it arrived, anything sent before it to these consumers arrived too.
    UserBus.of(a).publish(sameShard, "marker");
    assertEquals("marker|null", otherOnB.poll(TestNode.WAIT_S, TimeUnit.SECONDS));
    UserBus.of(a).publish(uid, "marker");
    assertEquals("marker|null", onB.poll(TestNode.WAIT_S, TimeUnit.SECONDS));
    assertEquals("marker|null", onA.poll(TestNode.WAIT_S, TimeUnit.SECONDS));
    assertTrue(onB.isEmpty() && onA.isEmpty() && otherOnB.isEmpty(), "each message once, only to its user: "
        + onB + onA + otherOnB);

    // A session's own address is local: a publish straight to it from another process reaches nobody there.
    a.eventBus().publish(Addresses.user(uid), "direct");
    UserBus.of(a).publish(uid, "marker");
    assertEquals("marker|null", onB.poll(TestNode.WAIT_S, TimeUnit.SECONDS));
    assertFalse(onB.contains("direct|null"));
  }

  @Test
  void inUsersModeEverySessionRegistersItsOwnAddressClusterWide() throws Exception {
    Vertx[] ab = twoMembers("userbus-users-");
    Vertx a = ab[0];
    Vertx b = ab[1];
    UserBus.install(a, UserBus.Mode.USERS);
    UserBus.install(b, UserBus.Mode.USERS);
    BlockingQueue<String> onB = consume(b, 9);
    assertEquals(0, UserBus.of(b).registeredShards(), "no shard consumers in users mode");
    UserBus.of(a).publish(9, "hello");
    assertEquals("hello|null", onB.poll(TestNode.WAIT_S, TimeUnit.SECONDS));
    // The user's address itself is clustered here: a plain publish to it reaches B too.
    a.eventBus().publish(Addresses.user(9), "direct");
    assertEquals("direct|null", onB.poll(TestNode.WAIT_S, TimeUnit.SECONDS));
    assertThrows(IllegalStateException.class, () -> UserBus.install(b, UserBus.Mode.SHARDS));
  }
}

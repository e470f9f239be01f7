package dev.switchboard.gateway;

import dev.switchboard.launch.Services;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.protocol.contract.Contract;
import dev.switchboard.protocol.contract.MembershipsReply;
import dev.switchboard.protocol.contract.MembershipsRequest;
import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.config.AuthConfig;
import dev.switchboard.shared.config.StateConfig;
import dev.switchboard.shared.store.StateStore;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One gateway verticle on loopback ports chosen by the system, over an isolated state store of {@code backend}, with
 * the verticles behind it played by consumers on the same event bus that answer with the typed contracts (through the
 * contract codec the gateway registers), and clients over real TCP and WebSocket sockets. Close it to close the
 * clients, the consumers and the gateway, and drop the store's data.
 */
final class TestGateway implements AutoCloseable {
  static final long WAIT_S = 10;
  private static final String SECRET = "gateway-module-test-secret-0123456789abcdef";

  final Vertx vertx;
  /** The shared state the gateway writes (presence, rate budgets, room flags). */
  final StateStore state;
  /** What {@code im.group.memberships} answers for every user: group id → latest seq. */
  volatile Map<Long, Long> groups = Map.of();
  private final Backend.Storage storage;
  private final GatewayVerticle gateway;
  private final String deployment;
  private final Tokens tokens;
  private final List<ImClient> clients = new ArrayList<>();
  private final List<MessageConsumer<?>> behind = new ArrayList<>();

  /** {@code settings} are merged over the test's gateway config (e.g. {@code {"opLimits": {...}}}). */
  TestGateway(Vertx vertx, Backend backend, JsonObject settings) throws Exception {
    this.vertx = vertx;
    this.storage = backend.open(vertx);
    JsonObject stateConfig = storage.config().getJsonObject("state");
    JsonObject config = new JsonObject().put("host", "127.0.0.1").put("wsPort", 0).put("tcpPort", 0)
        .put("auth", new JsonObject().put("secret", SECRET))
        .mergeIn(settings, true);
    this.state = StateStore.create(vertx, StateConfig.from(stateConfig));
    this.tokens = Tokens.create(vertx, AuthConfig.from(config.getJsonObject("auth")), state);
    // What the launcher builds for a gateway-only node: the state store, the token service and a node id; no pool.
    this.gateway = new GatewayVerticle(new Services(vertx, null, null, state, tokens, 0));
    answer(Addresses.GROUP_MEMBERSHIPS, (MembershipsRequest r) -> new MembershipsReply(groups));
    this.deployment = await(vertx.deployVerticle(gateway, new DeploymentOptions().setConfig(config)));
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.await(WAIT_S, TimeUnit.SECONDS);
  }

  /**
   * Asks {@code read} again each time it answers false, until it answers true; fails after {@link #WAIT_S}. Each ask
   * is a read of the real store (a round trip to Redis, or the in-process map), so the wait advances by the store's
   * answers, never by a timer: a write the gateway issued before the caller's step is seen on the first read after it
   * lands.
   */
  static void until(Supplier<Future<Boolean>> read) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (!read.get().await(WAIT_S, TimeUnit.SECONDS)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not seen within " + WAIT_S + " s");
      }
    }
  }

  /**
   * Plays the verticle behind {@code address}: every request is recorded (in the returned list) and answered with
   * {@code reply}'s record, or failed with the {@code ImException} it throws, as the real verticle would.
   */
  <Q, R extends Contract> List<Q> answer(String address, Function<Q, R> reply) throws Exception {
    List<Q> asked = new CopyOnWriteArrayList<>();
    MessageConsumer<Q> consumer = vertx.eventBus().consumer(address, m -> {
      asked.add(m.body());
      try {
        m.reply(reply.apply(m.body()));
      } catch (RuntimeException e) {
        ImException.failReply(m, e);
      }
    });
    behind.add(consumer);
    await(consumer.completion());
    return asked;
  }

  String token(long uid) {
    return tokens.issue(uid).token();
  }

  ImClient tcp() throws Exception {
    return keep(await(ImClient.tcp(vertx, "127.0.0.1", gateway.tcpPort())));
  }

  /** A WebSocket to {@code /ws?<query>} ({@code query} may be empty). */
  ImClient webSocket(String query) throws Exception {
    return keep(await(ImClient.webSocket(vertx, "127.0.0.1", gateway.wsPort(), "/ws?" + query)));
  }

  /** Sends {@code auth} for {@code uid} on {@code device}; returns {@code auth.ok}. */
  JsonObject login(ImClient client, long uid, String device) throws Exception {
    return await(client.request(new JsonObject().put("op", "auth").put("token", token(uid)).put("device", device)));
  }

  private ImClient keep(ImClient client) {
    clients.add(client);
    return client;
  }

  @Override
  public void close() throws Exception {
    try {
      for (ImClient c : clients) {
        c.close().otherwiseEmpty().await(WAIT_S, TimeUnit.SECONDS);
      }
      for (MessageConsumer<?> c : behind) {
        await(c.unregister());
      }
      await(vertx.undeploy(deployment));
      await(state.close());
    } finally {
      storage.close();
    }
  }
}

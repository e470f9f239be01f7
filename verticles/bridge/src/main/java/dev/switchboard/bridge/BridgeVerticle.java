package dev.switchboard.bridge;

import dev.switchboard.shared.config.BridgeConfig;
import dev.switchboard.shared.contract.ContractCodec;
import dev.switchboard.shared.config.SendRateConfig;
import dev.switchboard.shared.config.StateConfig;
import dev.switchboard.shared.limits.RateLimiter;
import dev.switchboard.shared.store.StateStore;
import dev.switchboard.shared.frame.OutFrameCodec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;

/**
 * The TCP event-bus bridge for services outside the JVM (bots, moderation, analytics, business push): Vert.x's TCP
 * bridge wire format (4-byte length + JSON {@code {type, address, headers, body, replyAddress}}), behind a service
 * credential, per-service allow-lists for each direction and a frame-size cap. See docs/bridge.md.
 *
 * <p>The stock {@code TcpEventBusBridge} server buffers whatever length a frame header claims and has no hook before
 * its parser, so the server and the reader are ours ({@link BridgeConnection}); the frames it writes come from the
 * module's {@code FrameHelper}, so clients written for the stock bridge work unchanged.
 */
public final class BridgeVerticle extends VerticleBase {
  private NetServer server;
  private BotRelays relays;
  private StateStore state;
  /** Bots' send budgets, reported to shared state once per interval. */
  private RateLimiter limiter;

  @Override
  public Future<?> start() {
    BridgeConfig config = BridgeConfig.from(config());
    JsonObject storage = config().getJsonObject("storage", new JsonObject());
    OutFrameCodec.register(vertx.eventBus());
    ContractCodec.register(vertx.eventBus());
    relays = new BotRelays(vertx.eventBus());
    Bots bots = new Bots(vertx.eventBus(), config.authTimeoutMs());
    state = StateStore.create(vertx, StateConfig.from(storage.getJsonObject("state")));
    SendRateConfig sendRate = SendRateConfig.from(config());
    limiter = new RateLimiter(state, sendRate.intervalMs());
    limiter.start(vertx);
    BotSendLimit sendLimit = new BotSendLimit(limiter, sendRate);
    server = vertx.createNetServer();
    server.connectHandler(socket -> BridgeConnection.attach(vertx, socket, config, bots, relays, sendLimit));
    return server.listen(config.port(), config.host());
  }

  @Override
  public Future<?> stop() {
    return server.close().eventually(() -> relays.close()).eventually(() -> limiter.stop())
        .eventually(() -> state.close());
  }
}

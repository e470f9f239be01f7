package dev.switchboard.bridge;

import dev.switchboard.launch.Services.Need;
import dev.switchboard.launch.Services;
import dev.switchboard.launch.VerticleKind;
import dev.switchboard.shared.config.SendRateConfig;
import dev.switchboard.shared.limits.RateLimiter;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
  /** How the launcher deploys it. The bridge needs no database: the state store (bots' send budgets). */
  public static final VerticleKind KIND = VerticleKind.tableless(BridgeVerticle::new, Need.STATE);

  private final Services services;
  private NetServer server;
  private BotRelays relays;
  private StateStore state;
  /** Bots' send budgets, reported to shared state once per interval. */
  private RateLimiter limiter;

  /** A bridge on the launcher's {@code services} (it declares the state store: bots' send budgets live there). */
  public BridgeVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    BridgeConfig config = BridgeConfig.from(config());
    relays = new BotRelays(vertx);
    Bots bots = new Bots(vertx.eventBus(), config.authTimeoutMs());
    state = services.state();
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
    return server.close().eventually(() -> relays.close()).eventually(() -> limiter.stop());
  }
}

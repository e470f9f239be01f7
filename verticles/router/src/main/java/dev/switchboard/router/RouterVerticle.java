package dev.switchboard.router;

import dev.switchboard.shared.Addresses;
import dev.switchboard.shared.config.RouterConfig;
import dev.switchboard.shared.frame.OutFrameCodec;
import dev.switchboard.shared.ids.MidGenerator;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * The one-to-one router: consumes {@link Addresses#ROUTER_SEND} (point-to-point, so the bus balances sends across
 * every router instance on every node) and delivers through the recipient's and sender's user addresses. Stateless.
 */
public final class RouterVerticle extends VerticleBase {
  private MessageConsumer<JsonObject> consumer;

  @Override
  public Future<?> start() {
    RouterConfig config = RouterConfig.from(config());
    OutFrameCodec.register(vertx.eventBus());
    MidGenerator mids = new MidGenerator(config().getInteger("nodeId", 0));
    OneToOne oneToOne = new OneToOne(vertx.eventBus(), mids, config);
    consumer = vertx.eventBus().consumer(Addresses.ROUTER_SEND, oneToOne::send);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister();
  }
}

package dev.switchboard.group;

import dev.switchboard.shared.Addresses;
import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.ImException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * The group verticle: consumes {@link Addresses#GROUP_SEND}. Groups (membership, ordered fan-out) are not built yet,
 * so no group exists and every send is answered {@code not_found}; the verticle is here so that deployments already
 * have their final shape.
 */
public final class GroupVerticle extends VerticleBase {
  private MessageConsumer<JsonObject> consumer;

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Addresses.GROUP_SEND,
        m -> ImException.failReply(m, new ImException(ErrorCode.NOT_FOUND, "no such group")));
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister();
  }
}

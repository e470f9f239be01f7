package dev.switchboard.api.webhooks;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.contract.HookEvent;
import dev.switchboard.shared.config.HooksConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;

/**
 * The webhook dispatcher of one API verticle instance (docs/integration.md, "Webhooks"): consumes
 * {@link Addresses#HOOK_EVENTS} (point-to-point, so each event reaches one dispatcher in the cluster) and hands each
 * event to the {@link Endpoint}s that want its type. Nothing is registered when no webhook is configured. Confined
 * to the verticle's event loop.
 */
public final class Webhooks {
  private static final Counter UNREADABLE = Counter.builder("switchboard.webhook.unreadable")
      .description("messages on im.hooks.events that are not a HookEvent").register(Metrics.globalRegistry);
  private final List<Endpoint> endpoints = new ArrayList<>();
  private MessageConsumer<Object> consumer;

  public Webhooks(Vertx vertx, HooksConfig config) {
    for (HooksConfig.Webhook w : config.webhooks()) {
      endpoints.add(new Endpoint(vertx, w));
    }
    if (!endpoints.isEmpty()) {
      consumer = vertx.eventBus().consumer(Addresses.HOOK_EVENTS, this::handle);
    }
  }

  /** Completes once the dispatcher's consumer is registered (at once when there is none). */
  public Future<Void> ready() {
    return consumer == null ? Future.succeededFuture() : consumer.completion();
  }

  private void handle(Message<Object> m) {
    if (!(m.body() instanceof HookEvent e) || e.eventType() == null || e.envelope() == null) {
      UNREADABLE.increment();
      return;
    }
    for (Endpoint endpoint : endpoints) {
      if (endpoint.wants(e.eventType())) {
        endpoint.offer(e.envelope());
      }
    }
  }

  public Future<Void> stop() {
    List<Future<Void>> closing = new ArrayList<>();
    if (consumer != null) {
      closing.add(consumer.unregister());
    }
    endpoints.forEach(e -> closing.add(e.close()));
    return Future.join(closing).mapEmpty();
  }
}

package dev.switchboard.shared.hooks;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.contract.HookEvent;
import dev.switchboard.shared.config.HooksConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * Emits webhook events (docs/integration.md, "Webhooks") after the change they report committed: fire-and-forget, so
 * an event never slows or fails what caused it. To the webhook dispatcher as a {@link HookEvent} by point-to-point
 * send on {@link Addresses#HOOK_EVENTS} (one dispatcher gets it, whatever the number of API processes) when an
 * endpoint wants the type, and published as JSON on {@link Addresses#events} when {@code hooks.busEvents} is on.
 * Callers ask {@link #wants} first, so that with no hook configured an event costs one boolean test and is never built.
 * Any thread.
 */
public final class HookEmitter {
  private final EventBus bus;
  private final HooksConfig config;

  public HookEmitter(Vertx vertx, HooksConfig config) {
    this.bus = vertx.eventBus();
    this.config = config;
  }

  /**
   * Counts an event of {@code type} that was not emitted because building it failed (a read it needs, a body that
   * would not parse): {@code switchboard.webhook.emit.failed{type}}. What caused the event is never failed by it.
   */
  public static void failed(String type) {
    Counter.builder("switchboard.webhook.emit.failed").tag("type", type)
        .description("events not emitted because building them failed").register(Metrics.globalRegistry).increment();
  }

  public HooksConfig config() {
    return config;
  }

  /** Whether an event of {@code type} goes anywhere. */
  public boolean wants(String type) {
    return config.wants(type);
  }

  /**
   * Emits the event {@code {id, type, ts, data}}. {@code id} is unique per event and the same for the same fact
   * (e.g. {@code message.sent:<mid>}), so receivers can drop repeats by id.
   */
  public void emit(String type, String id, long ts, JsonObject data) {
    JsonObject envelope = new JsonObject().put("id", id).put("type", type).put("ts", ts).put("data", data);
    for (HooksConfig.Webhook w : config.webhooks()) {
      if (w.wants(type)) {
        bus.send(Addresses.HOOK_EVENTS, new HookEvent(type, envelope.toBuffer().getBytes()));
        break;
      }
    }
    if (config.busEvents()) {
      bus.publish(Addresses.events(type), envelope);
    }
  }
}

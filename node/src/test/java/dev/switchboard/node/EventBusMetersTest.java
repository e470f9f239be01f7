package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.launch.Cluster;
import dev.switchboard.protocol.Addresses;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Vert.x's meters as a node configures them: no event-bus meters by default (they cost a registry lookup per
 * message); with {@code monitor.eventBusMeters}, per-user addresses add no meters, however many users come online.
 */
@Isolated
class EventBusMetersTest {
  @Test
  void eventBusMetersAreOffByDefault() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Vertx vertx = Cluster.vertx("nio", registry);
    try {
      MessageConsumer<String> c = vertx.eventBus().consumer(Addresses.user(1), m -> { });
      c.completion().await(10, TimeUnit.SECONDS);
      vertx.eventBus().publish(Addresses.user(1), "m");
      vertx.eventBus().request(Addresses.user(1), "m");
      List<String> bus = registry.getMeters().stream().map(m -> m.getId().getName())
          .filter(n -> n.startsWith("vertx.eventbus")).toList();
      assertEquals(List.of(), bus, "no event-bus meters unless asked for");
      assertTrue(registry.getMeters().stream().anyMatch(m -> m.getId().getName().startsWith("jvm.")),
          "the other meters are still there");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void perUserAddressesAddNoMeters() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Vertx vertx = Cluster.vertx("nio", registry, true);
    try {
      int before = -1;
      for (int round = 0; round < 2; round++) {
        List<MessageConsumer<String>> consumers = new ArrayList<>();
        List<Future<Void>> ready = new ArrayList<>();
        for (long uid = round * 200 + 1; uid <= round * 200 + 200; uid++) {
          MessageConsumer<String> c = vertx.eventBus().consumer(Addresses.user(uid), m -> { });
          consumers.add(c);
          ready.add(c.completion());
        }
        Future.all(ready).await(10, TimeUnit.SECONDS);
        for (long uid = round * 200 + 1; uid <= round * 200 + 200; uid++) {
          vertx.eventBus().publish(Addresses.user(uid), "m");
        }
        for (Meter m : registry.getMeters()) {
          m.getId().getTags().forEach(t -> assertTrue(!t.getValue().startsWith("im.user."), m.getId().toString()));
        }
        if (round == 0) {
          assertTrue(registry.getMeters().stream().anyMatch(m -> m.getId().getName().startsWith("vertx.eventbus")),
              "event-bus meters when asked for");
          before = registry.getMeters().size();
        } else {
          assertEquals(before, registry.getMeters().size(), "200 more users online, no more meters");
        }
        for (MessageConsumer<String> c : consumers) {
          c.unregister().await(10, TimeUnit.SECONDS);
        }
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}

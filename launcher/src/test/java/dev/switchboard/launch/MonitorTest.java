package dev.switchboard.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.launch.Services.Need;
import dev.switchboard.shared.store.StateStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The monitor port: readiness checks with a timeout each (vertx-health-check), Prometheus metrics. */
@ExtendWith(VertxExtension.class)
class MonitorTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A state store whose every call never completes: Redis that accepted the connection and went silent. */
  private static StateStore silent() {
    return (StateStore) Proxy.newProxyInstance(StateStore.class.getClassLoader(), new Class<?>[] {StateStore.class},
        (proxy, method, args) -> method.getReturnType() == Future.class ? Promise.promise().future() : null);
  }

  private static HttpResponse<String> get(Monitor m, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.port() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aCheckThatDoesNotAnswerMakesReadyAnswer503InTime(Vertx vertx) throws Exception {
    NodeConfig config = new NodeConfig(new JsonObject().put("monitor", new JsonObject().put("host", "127.0.0.1")
        .put("port", 0).put("checkTimeoutMs", 300)));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("monitor_test_total").increment();
    Monitor m = new Monitor(vertx, config, Set.of(Need.STATE), registry);
    m.start().await(10, TimeUnit.SECONDS);
    try {
      HttpResponse<String> starting = get(m, "/ready");
      assertEquals(503, starting.statusCode());
      assertEquals("starting", new JsonObject(starting.body()).getJsonObject("checks").getString("node"));

      m.started(new Services(vertx, null, null, silent(), null, null));
      HttpResponse<String> ready = get(m, "/ready");
      assertEquals(503, ready.statusCode(), ready.body());
      JsonObject checks = new JsonObject(ready.body()).getJsonObject("checks");
      assertEquals("ok", checks.getString("node"));
      assertEquals("timeout", checks.getString("state"), ready.body());

      assertEquals(200, get(m, "/health").statusCode());
      HttpResponse<String> metrics = get(m, "/metrics");
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.body().contains("monitor_test_total 1.0"), metrics.body());
    } finally {
      m.stop().await(10, TimeUnit.SECONDS);
    }
  }
}

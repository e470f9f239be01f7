package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;

import dev.switchboard.launch.Cluster;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Clustered Vert.x instances in one JVM for tests: Hazelcast on loopback, closed by the test's cleanup list. */
final class ClusteredVertx {
  private ClusteredVertx() {
  }

  /** A member of cluster {@code name} on Hazelcast port {@code port}, joining {@code members}; closed by cleanup. */
  static Vertx start(String name, String secret, int port, List<AutoCloseable> cleanup, int... members)
      throws Exception {
    JsonArray list = new JsonArray();
    for (int m : members) {
      list.add("127.0.0.1:" + m);
    }
    Vertx vertx = await(Cluster.vertx(new JsonObject().put("name", name).put("secret", secret)
        .put("host", "127.0.0.1").put("port", port)
        .put("portAutoIncrement", false).put("members", list), "epoll"));
    cleanup.add(() -> vertx.close().await(30, TimeUnit.SECONDS));
    return vertx;
  }
}

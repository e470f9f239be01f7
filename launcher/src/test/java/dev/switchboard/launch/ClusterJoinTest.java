package dev.switchboard.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a member finds the others: a TCP-IP list, or a Kubernetes headless Service by DNS; never multicast. */
class ClusterJoinTest {
  private static JoinConfig join(JsonObject cluster) {
    JoinConfig join = new Config().getNetworkConfig().getJoin();
    Cluster.join(join, cluster, "127.0.0.1", 5701);
    return join;
  }

  @Test
  void aMemberListIsTcpIp() {
    JoinConfig join = join(new JsonObject().put("members", new JsonArray().add("10.0.0.1:5701").add("10.0.0.2:5701")));
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5701"), join.getTcpIpConfig().getMembers());
    assertFalse(join.getKubernetesConfig().isEnabled());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
  }

  @Test
  void kubernetesFindsTheMembersBehindTheHeadlessService() {
    JoinConfig join = join(new JsonObject().put("kubernetes",
        new JsonObject().put("serviceDns", "switchboard-cluster.switchboard.svc.cluster.local")));
    assertTrue(join.getKubernetesConfig().isEnabled());
    assertEquals("switchboard-cluster.switchboard.svc.cluster.local",
        join.getKubernetesConfig().getProperty("service-dns"));
    assertEquals("5701", join.getKubernetesConfig().getProperty("service-port"));
    assertFalse(join.getTcpIpConfig().isEnabled());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
  }

  @Test
  void kubernetesWithoutAServiceIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> join(new JsonObject().put("kubernetes", new JsonObject())));
  }
}

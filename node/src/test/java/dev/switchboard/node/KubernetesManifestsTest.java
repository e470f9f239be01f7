package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import dev.switchboard.launch.NodeConfig;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/k8s, checked without a cluster: every document against the Kubernetes API's schema (the generated models of
 * the official Java client refuse unknown fields, missing required ones and wrong types), then what the layout
 * promises — a Deployment, readiness on {@code /ready} and a PodDisruptionBudget per role, Hazelcast discovery through
 * the headless Service, secrets from a Secret, each role's config a valid node config that runs that role.
 */
class KubernetesManifestsTest {
  private static final Path K8S = DeploymentFilesTest.ROOT.resolve("docker/k8s");
  private static final Gson GSON = new Gson();
  private static final Set<String> ROLES = Set.of("gateway", "router", "group", "api");

  /** Every document of every manifest, as JSON, by kind and name. */
  private static Map<String, JsonElement> documents() throws IOException {
    Map<String, JsonElement> docs = new HashMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(K8S)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertFalse(files.isEmpty());
    for (Path f : files) {
      for (Object doc : new Yaml().loadAll(Files.readString(f))) {
        JsonElement json = GSON.toJsonTree(doc);
        String kind = json.getAsJsonObject().get("kind").getAsString();
        String name = json.getAsJsonObject().getAsJsonObject("metadata").get("name").getAsString();
        assertTrue(docs.put(kind + "/" + name, json) == null, "one " + kind + "/" + name);
      }
    }
    return docs;
  }

  /** Validates {@code json} against its kind's schema; fails on a kind this layout does not use. */
  private static void validate(String kind, JsonElement json) throws IOException {
    switch (kind) {
      case "Namespace" -> V1Namespace.validateJsonElement(json);
      case "ConfigMap" -> V1ConfigMap.validateJsonElement(json);
      case "Deployment" -> V1Deployment.validateJsonElement(json);
      case "Service" -> V1Service.validateJsonElement(json);
      case "PodDisruptionBudget" -> V1PodDisruptionBudget.validateJsonElement(json);
      default -> throw new AssertionError("unexpected kind " + kind);
    }
  }

  private static String randomSecret() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Test
  void everyDocumentMatchesTheKubernetesSchema() throws IOException {
    for (Map.Entry<String, JsonElement> e : documents().entrySet()) {
      validate(e.getKey().substring(0, e.getKey().indexOf('/')), e.getValue());
    }
  }

  @Test
  void theSchemaCheckRefusesAMisspelledField() throws IOException {
    JsonElement gateway = documents().get("Deployment/switchboard-gateway");
    JsonElement broken = gateway.deepCopy();
    var container = broken.getAsJsonObject().getAsJsonObject("spec").getAsJsonObject("template")
        .getAsJsonObject("spec").getAsJsonArray("containers").get(0).getAsJsonObject();
    container.add("imagePullPolicyy", container.remove("imagePullPolicy"));
    assertThrows(IllegalArgumentException.class, () -> V1Deployment.validateJsonElement(broken));
  }

  @Test
  void eachRoleIsADeploymentWithProbesSecretsADisruptionBudgetAndAConfigThatRunsIt() throws IOException {
    Map<String, JsonElement> docs = documents();
    V1ConfigMap config = GSON.fromJson(docs.get("ConfigMap/switchboard-config"), V1ConfigMap.class);
    V1Service cluster = GSON.fromJson(docs.get("Service/switchboard-cluster"), V1Service.class);
    assertEquals("None", cluster.getSpec().getClusterIP(), "the cluster Service is headless");
    assertEquals(Boolean.TRUE, cluster.getSpec().getPublishNotReadyAddresses(), "members find each other unready");
    String serviceDns = "switchboard-cluster." + cluster.getMetadata().getNamespace() + ".svc.cluster.local";
    for (String role : ROLES) {
      V1Deployment d = GSON.fromJson(docs.get("Deployment/switchboard-" + role), V1Deployment.class);
      assertNotNull(d, role);
      Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
      assertEquals(d.getSpec().getSelector().getMatchLabels(), labels, role + ": selector = pod labels");
      assertTrue(cluster.getSpec().getSelector().entrySet().stream()
          .allMatch(l -> l.getValue().equals(labels.get(l.getKey()))), role + " pods are cluster members");
      V1PodDisruptionBudget pdb = GSON.fromJson(docs.get("PodDisruptionBudget/switchboard-" + role),
          V1PodDisruptionBudget.class);
      assertNotNull(pdb, role + ": a disruption budget");
      assertEquals(labels, pdb.getSpec().getSelector().getMatchLabels(), role + ": the budget covers the role");

      V1Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertEquals("/ready", c.getReadinessProbe().getHttpGet().getPath(), role);
      assertEquals("/health", c.getLivenessProbe().getHttpGet().getPath(), role);
      Map<String, V1EnvVar> env = new HashMap<>();
      c.getEnv().forEach(v -> env.put(v.getName(), v));
      assertEquals("status.podIP", env.get("SWITCHBOARD_CLUSTER_PUBLIC_HOST").getValueFrom().getFieldRef()
          .getFieldPath(), role + ": the member address is the pod's");
      for (String secret : List.of("SWITCHBOARD_AUTH_SECRET", "SWITCHBOARD_CLUSTER_SECRET")) {
        assertNotNull(env.get(secret).getValueFrom().getSecretKeyRef(), role + ": " + secret + " from a Secret");
      }

      String file = c.getArgs().get(0);
      assertEquals("/config/" + role + ".json", file, role);
      String text = config.getData().get(role + ".json");
      assertNotNull(text, role + ": its config is in the ConfigMap");
      JsonObject json = new JsonObject(text);
      assertEquals(Set.of(role), json.getJsonObject("verticles").fieldNames(), role + " runs its role only");
      assertEquals(serviceDns, json.getJsonObject("cluster").getJsonObject("kubernetes").getString("serviceDns"),
          role + ": discovery through the headless Service");
      // With the secrets the pod gets from its environment, the role's config is one a node starts with.
      JsonObject withSecrets = json.copy();
      withSecrets.getJsonObject("cluster").put("secret", randomSecret());
      withSecrets.getJsonObject("auth").put("secret", randomSecret());
      Path tmp = Files.createTempFile("k8s-" + role, ".json");
      try {
        Files.writeString(tmp, withSecrets.encode());
        NodeConfig.load(tmp.toString()).validate();
      } finally {
        Files.delete(tmp);
      }
    }
    List<String> kinds = new ArrayList<>(docs.keySet());
    assertTrue(kinds.contains("Service/switchboard-gateway") && kinds.contains("Service/switchboard-api"), "" + kinds);
  }
}

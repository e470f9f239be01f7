package dev.switchboard.node;

import dev.switchboard.api.ApiVerticle;
import dev.switchboard.bridge.BridgeVerticle;
import dev.switchboard.gateway.GatewayVerticle;
import dev.switchboard.group.GroupVerticle;
import dev.switchboard.launch.Launcher;
import dev.switchboard.launch.VerticleKind;
import dev.switchboard.router.RouterVerticle;
import java.util.Map;

/**
 * The all-in-one node: {@code java -jar switchboard-node.jar [config.json]} deploys whichever verticles the config
 * lists. With no argument it runs every verticle in one unclustered JVM on the embedded default (conf/default.json).
 */
public final class Main {
  /** Every verticle this jar can run. */
  public static final Map<String, VerticleKind> VERTICLES = Map.of(
      "router", RouterVerticle.KIND,
      "group", GroupVerticle.KIND,
      "api", ApiVerticle.KIND,
      "gateway", GatewayVerticle.KIND,
      "bridge", BridgeVerticle.KIND);

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    Launcher.run(args, null, VERTICLES);
  }
}

package dev.switchboard.gateway;

import dev.switchboard.launch.Launcher;
import java.util.Map;

/**
 * {@code java -jar switchboard-gateway.jar [config.json]}: a process that runs only the gateway verticle (its instances from
 * the config), clustered when the config says so. See conf/cluster/ for per-role configs.
 */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) throws Exception {
    Launcher.run(args, "gateway", Map.of("gateway", GatewayVerticle.KIND));
  }
}

package dev.switchboard.bridge;

import dev.switchboard.launch.Launcher;
import java.util.Map;

/**
 * {@code java -jar switchboard-bridge.jar [config.json]}: a process that runs only the TCP event-bus bridge, clustered
 * when the config says so (it must be, to reach the routers of other processes).
 */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) throws Exception {
    Launcher.run(args, "bridge", Map.of("bridge", BridgeVerticle.KIND));
  }
}

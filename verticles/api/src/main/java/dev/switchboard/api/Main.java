package dev.switchboard.api;

import dev.switchboard.launch.Launcher;
import java.util.Map;

/**
 * {@code java -jar switchboard-api.jar [config.json]}: a process that runs only the api verticle (its instances from
 * the config), clustered when the config says so. See conf/cluster/ for per-role configs.
 */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) throws Exception {
    Launcher.run(args, "api", Map.of("api", ApiVerticle.KIND));
  }
}

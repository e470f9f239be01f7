package dev.switchboard.bridge;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.shared.config.Secrets;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP event-bus bridge: where it listens, the largest frame it reads, how long a connection may take to present
 * its credential, and the services allowed in.
 *
 * @param services one entry per service credential; none means nobody can connect
 */
public record BridgeConfig(String host, int port, int maxFrameBytes, long authTimeoutMs, List<Service> services) {
  /**
   * One service: its {@code name} and {@code secret} (at least 16 characters) are its credential; {@code bot} (a
   * username of kind {@code bot}, or null) is who it sends as; {@code inbound} lists the addresses it may send or
   * publish to and {@code outbound} those it may consume. An entry ending in {@code *} is a prefix. Defaults for a
   * bot: inbound {@code im.router.send} and {@code im.group.send}, outbound {@code im.bot.<bot>}; no defaults without
   * a bot. {@code im.user.*} is never consumable, whatever the list says.
   */
  public record Service(String name, String secret, String bot, List<String> inbound, List<String> outbound) {
    public boolean mayInbound(String address) {
      return matches(inbound, address);
    }

    public boolean mayOutbound(String address) {
      return !Addresses.isUser(address) && matches(outbound, address);
    }

    private static boolean matches(List<String> patterns, String address) {
      for (String p : patterns) {
        if (p.endsWith("*") ? address.startsWith(p.substring(0, p.length() - 1)) : p.equals(address)) {
          return true;
        }
      }
      return false;
    }
  }

  public static BridgeConfig from(JsonObject j) {
    List<Service> services = new ArrayList<>();
    for (Object o : j.getJsonArray("services", new JsonArray())) {
      JsonObject s = (JsonObject) o;
      String name = s.getString("name");
      String secret = s.getString("secret");
      if (name == null || name.isBlank() || secret == null || secret.length() < 16) {
        throw new IllegalArgumentException("bridge.services[]: each needs a name and a secret of 16+ characters");
      }
      Secrets.requireNotShipped("bridge.services[" + name + "].secret", secret);
      String bot = s.getString("bot");
      List<String> in = strings(s.getJsonArray("inbound"), bot == null ? List.of()
          : List.of(Addresses.ROUTER_SEND, Addresses.GROUP_SEND));
      List<String> out = strings(s.getJsonArray("outbound"), bot == null ? List.of() : List.of(Addresses.bot(bot)));
      services.add(new Service(name, secret, bot, in, out));
    }
    return new BridgeConfig(j.getString("host", "127.0.0.1"), j.getInteger("port", 7000),
        j.getInteger("maxFrameBytes", 64 * 1024), j.getLong("authTimeoutMs", 10_000L), List.copyOf(services));
  }

  private static List<String> strings(JsonArray a, List<String> fallback) {
    if (a == null) {
      return fallback;
    }
    List<String> out = new ArrayList<>();
    a.forEach(v -> out.add((String) v));
    return List.copyOf(out);
  }

  public Service service(String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }
}

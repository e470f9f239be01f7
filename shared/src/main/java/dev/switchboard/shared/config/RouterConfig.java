package dev.switchboard.shared.config;

import io.vertx.core.json.JsonObject;

/** The one-to-one router: message limits. */
public record RouterConfig(int maxBodyBytes) {
  public static RouterConfig from(JsonObject j) {
    return new RouterConfig(j.getInteger("maxBodyBytes", 16 * 1024));
  }
}

package dev.switchboard.shared.config;

import io.vertx.core.json.JsonObject;

/**
 * Relational store: {@code kind} is {@code h2} (embedded file database, single node only) or {@code mysql} (MySQL 8 or
 * MariaDB 10.11 through the Vert.x MySQL client).
 */
public record DbConfig(String kind, String path, String host, int port, String database, String user, String password,
                       int poolSize) {
  public static DbConfig from(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    String kind = j.getString("kind", "h2");
    if (!kind.equals("h2") && !kind.equals("mysql")) {
      throw new IllegalArgumentException("storage.db.kind must be 'h2' or 'mysql', not '" + kind + "'");
    }
    return new DbConfig(kind, j.getString("path", "./data/switchboard"), j.getString("host", "127.0.0.1"),
        j.getInteger("port", 3306), j.getString("database", "switchboard"), j.getString("user", "switchboard"),
        j.getString("password", ""), j.getInteger("poolSize", 8));
  }

  public boolean embedded() {
    return kind.equals("h2");
  }
}

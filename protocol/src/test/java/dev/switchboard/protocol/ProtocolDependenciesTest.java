package dev.switchboard.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.protocol.contract.Contracts;
import dev.switchboard.protocol.frame.proto.ProtoCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The protocol module is what a client (or a verticle built from another commit) needs, and nothing of the server's
 * storage: no SQL client, no JDBC driver, no Redis client, no token library, no cluster manager reaches its
 * classpath. A dependency added to protocol/pom.xml that brings one fails here, whatever pulls it in transitively.
 */
class ProtocolDependenciesTest {

  @Test
  void noStorageOrServerLibraryIsOnTheClasspath() {
    List<String> server = List.of(
        "io.vertx.sqlclient.Pool",                 // vertx-sql-client
        "io.vertx.mysqlclient.MySQLBuilder",       // vertx-mysql-client
        "io.vertx.jdbcclient.JDBCPool",            // vertx-jdbc-client
        "org.h2.Driver",                           // H2
        "org.mariadb.jdbc.Driver",                 // MariaDB Connector/J
        "org.flywaydb.core.Flyway",                // Flyway
        "io.vertx.redis.client.Redis",             // vertx-redis-client
        "io.vertx.ext.auth.jwt.JWTAuth",           // vertx-auth-jwt
        "com.hazelcast.core.Hazelcast",            // the cluster manager
        "io.micrometer.core.instrument.Counter");  // meters
    List<String> present = new ArrayList<>();
    for (String name : server) {
      try {
        Class.forName(name, false, getClass().getClassLoader());
        present.add(name);
      } catch (ClassNotFoundException expected) {
        // absent, as it should be
      }
    }
    assertEquals(List.of(), present);
  }

  @Test
  void whatAClientNeedsIsHere() throws ClassNotFoundException {
    // The check above means something only if the loader does find classes: the client, the codecs, the contracts.
    assertNotNull(Class.forName(ImClient.class.getName(), false, getClass().getClassLoader()));
    assertNotNull(Class.forName(ProtoCodec.class.getName(), false, getClass().getClassLoader()));
    assertNotNull(Class.forName(Contracts.class.getName(), false, getClass().getClassLoader()));
    assertNotNull(Class.forName("io.vertx.core.Vertx", false, getClass().getClassLoader()));
  }
}

package dev.switchboard.shared.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsConfigTest {
  @TempDir
  Path dir;

  @Test
  void offUnlessASectionSaysOtherwise() {
    assertNull(TlsConfig.from(null));
    assertNull(TlsConfig.from(new JsonObject()));
    assertNull(TlsConfig.from(new JsonObject().put("tls", new JsonObject().put("enabled", false).put("cert", "c"))));
    assertEquals(new TlsConfig("c", "k", null),
        TlsConfig.from(new JsonObject().put("tls", new JsonObject().put("cert", "c").put("key", "k"))));
  }

  @Test
  void aMissingFileIsNamedWithItsKey() throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    Path key = Files.writeString(dir.resolve("key.pem"), "x");
    new TlsConfig(cert.toString(), key.toString(), null).check("verticles.api.tls", false);

    String missing = dir.resolve("nope.pem").toString();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TlsConfig(cert.toString(), missing, null).check("verticles.api.tls", false));
    assertTrue(e.getMessage().startsWith("verticles.api.tls.key: cannot read PEM file " + missing), e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> new TlsConfig(cert.toString(), key.toString(), null).check("cluster.tls", true));
    assertEquals("cluster.tls.ca must name a PEM file when TLS is on", e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> new TlsConfig(dir.toString(), key.toString(), null).check("verticles.gateway.tls", false));
    assertTrue(e.getMessage().contains("not a readable file"), e.getMessage());
  }

  @Test
  void theEventBusRequiresTheClientsCertificate() {
    EventBusOptions bus = new TlsConfig("c.pem", "k.pem", "ca.pem").eventBus(new EventBusOptions());
    assertTrue(bus.isSsl());
    assertEquals(ClientAuth.REQUIRED, bus.getClientAuth());
    HttpServerOptions server = new TlsConfig("c.pem", "k.pem", null).server(new HttpServerOptions());
    assertTrue(server.isSsl());
    assertEquals(ClientAuth.NONE, server.getClientAuth());
  }
}

package dev.switchboard.shared.config;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TCPSSLOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS from PEM files, the {@code tls} member of a server section ({@code verticles.gateway}, {@code verticles.api}) or
 * of {@code cluster}: {@code {"cert": "...", "key": "..."[, "ca": "..."]}}. Absent (or {@code "enabled": false}): no
 * TLS, the default.
 *
 * @param cert PEM certificate chain, this server's or member's certificate first
 * @param key  PEM private key of {@code cert} (PKCS#8, or PKCS#1 for RSA)
 * @param ca   PEM certificates of the CA(s) the peer's certificate must chain to: required for the cluster's event bus,
 *             where both ends present a certificate; client-facing servers do not ask clients for one and ignore it
 */
public record TlsConfig(String cert, String key, String ca) {
  /** The {@code tls} member of {@code section}, or null when it is absent or disabled. */
  public static TlsConfig from(JsonObject section) {
    JsonObject tls = section == null ? null : section.getJsonObject("tls");
    if (tls == null || !tls.getBoolean("enabled", true)) {
      return null;
    }
    return new TlsConfig(tls.getString("cert"), tls.getString("key"), tls.getString("ca"));
  }

  /**
   * Checks that every file this section needs is set and readable, so a misconfigured server fails before it starts,
   * naming the key and the file. Reads the file system: call it at startup, off any event loop.
   *
   * @param where    the section's config path, e.g. {@code verticles.gateway.tls}, for the message
   * @param mutual   whether {@code ca} is required (the event bus)
   * @throws IllegalArgumentException naming {@code where} and the file when one is missing or unreadable
   */
  public TlsConfig check(String where, boolean mutual) {
    readable(where + ".cert", cert);
    readable(where + ".key", key);
    if (mutual) {
      readable(where + ".ca", ca);
    }
    return this;
  }

  private static void readable(String key, String file) {
    if (file == null || file.isBlank()) {
      throw new IllegalArgumentException(key + " must name a PEM file when TLS is on");
    }
    Path path = Path.of(file);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new IllegalArgumentException(key + ": cannot read PEM file " + path.toAbsolutePath()
          + (Files.exists(path) ? " (not a readable file)" : " (no such file)"));
    }
  }

  /** Turns TLS on for a server: its certificate and key; clients are not asked for a certificate. */
  public <T extends TCPSSLOptions> T server(T options) {
    options.setSsl(true).setKeyCertOptions(keyCert());
    return options;
  }

  /**
   * Mutual TLS for the clustered event bus: each member serves with its certificate, requires the connecting member's
   * certificate ({@link ClientAuth#REQUIRED}), and both ends accept only certificates that chain to {@code ca}.
   */
  public EventBusOptions eventBus(EventBusOptions options) {
    options.setSsl(true).setKeyCertOptions(keyCert()).setTrustOptions(new PemTrustOptions().addCertPath(ca))
        .setClientAuth(ClientAuth.REQUIRED);
    return options;
  }

  /**
   * Trust for a client of this very server on loopback (the API calling itself): the server's own certificate chain
   * is the trust anchor, so no CA and no host name is needed.
   */
  public PemTrustOptions ownCertificate() {
    return new PemTrustOptions().addCertPath(cert);
  }

  private PemKeyCertOptions keyCert() {
    return new PemKeyCertOptions().setCertPath(cert).setKeyPath(key);
  }
}

package dev.switchboard.node;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A CA with a server and a cluster-member certificate, made by scripts/dev-certs.sh (openssl) into {@code dir}, so the
 * tests exercise the same script a developer runs and no private key is committed.
 */
record DevCerts(Path dir) {
  static DevCerts make(Path dir) throws IOException, InterruptedException {
    Path script = Path.of("..", "scripts", "dev-certs.sh").toAbsolutePath().normalize();
    Process p = new ProcessBuilder("bash", script.toString(), dir.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(dir.resolve("member.pem"))) {
      throw new IllegalStateException("scripts/dev-certs.sh failed: " + out);
    }
    return new DevCerts(dir);
  }

  String file(String name) {
    return dir.resolve(name).toString();
  }

  /** {@code {cert, key}} of the server certificate: the {@code tls} of a gateway or API section. */
  JsonObject server() {
    return new JsonObject().put("cert", file("server.pem")).put("key", file("server-key.pem"));
  }

  /** {@code {cert, key, ca}} of the member certificate: {@code cluster.tls}. */
  JsonObject member() {
    return new JsonObject().put("cert", file("member.pem")).put("key", file("member-key.pem"))
        .put("ca", file("ca.pem"));
  }

  /** What a client trusts: this CA. */
  PemTrustOptions trust() {
    return new PemTrustOptions().addCertPath(file("ca.pem"));
  }
}

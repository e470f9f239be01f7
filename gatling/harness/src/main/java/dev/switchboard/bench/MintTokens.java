package dev.switchboard.bench;

import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.config.AuthConfig;
import io.vertx.core.Vertx;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Writes {@code count} tokens signed with the server's secret for the synthetic uids {@code first},
 * {@code first+1}, ... to a CSV with a {@code token} column (the Gatling feeder format). The gateways check a token's
 * signature, expiry and revocation, never that the user has a database row, so connection benchmarks can
 * authenticate 100,000 sessions without registering 100,000 accounts (which would measure password hashing).
 *
 * <p>{@code java -cp harness.jar dev.switchboard.bench.MintTokens secret=... count=20000 first=1000000000 out=t.csv}
 */
public final class MintTokens {
  private MintTokens() {
  }

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    Vertx vertx = Vertx.vertx();
    Tokens tokens = Tokens.create(vertx, new AuthConfig(args.required("secret"), 24 * 3600,
        AuthConfig.Argon2.DEFAULT, new AuthConfig.Hashing(1, 1), 30, null), null);
    long first = Long.parseLong(args.str("first", "1000000000"));
    int count = args.integer("count", 1000);
    try (BufferedWriter out = Files.newBufferedWriter(Path.of(args.required("out")))) {
      out.write("token\n");
      for (int i = 0; i < count; i++) {
        out.write(tokens.issue(first + i).token());
        out.write('\n');
      }
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}

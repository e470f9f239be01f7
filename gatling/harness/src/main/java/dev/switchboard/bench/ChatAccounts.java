package dev.switchboard.bench;

import dev.switchboard.protocol.client.ApiClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Registers {@code users} accounts (an even number) through the HTTP API, logs each in, and writes the Gatling feeder
 * of {@code ChatOneToOne}: {@code token,uid,peer}, rows 2k and 2k+1 being each other's peer.
 *
 * <p>{@code java -cp harness.jar dev.switchboard.bench.ChatAccounts users=2000 out=chat.csv [host= api=8080]}
 */
public final class ChatAccounts {
  private ChatAccounts() {
  }

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    int users = args.integer("users", 200) & ~1;
    Vertx vertx = Vertx.vertx();
    ApiClient api = new ApiClient(vertx, args.str("host", "127.0.0.1"), args.integer("api", 8080));
    String run = "chat" + UUID.randomUUID().toString().substring(0, 6);
    String password = "bench-password";
    List<Future<JsonObject>> logins = new ArrayList<>();
    for (int from = 0; from < users; from += 200) {
      List<Future<JsonObject>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(users, from + 200); i++) {
        String name = run + "u" + i;
        batch.add(api.register(name, password).compose(uid -> api.login(name, password, "web")
            .map(login -> login.copy().put("uid", uid))));
      }
      Future.all(batch).await(120, TimeUnit.SECONDS);
      logins.addAll(batch);
    }
    StringBuilder csv = new StringBuilder("token,uid,peer\n");
    for (int i = 0; i < users; i++) {
      JsonObject me = logins.get(i).result();
      JsonObject peer = logins.get(i ^ 1).result();
      csv.append(me.getString("token")).append(',').append(me.getLong("uid")).append(',')
          .append(peer.getLong("uid")).append('\n');
    }
    java.nio.file.Files.writeString(java.nio.file.Path.of(args.required("out")), csv);
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}

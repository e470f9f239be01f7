package dev.switchboard.jmh;

import dev.switchboard.launch.SchemaMigrations;
import dev.switchboard.protocol.contract.SearchReply;
import dev.switchboard.router.RouterVerticle;
import dev.switchboard.router.store.SqlMessageSearchStore;
import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.search.SearchScan;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.store.Dialect;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One page of {@code GET /api/v1/search} on the router's side ({@link SearchScan} over {@link SqlMessageSearchStore},
 * limit 20) for one busy user among 1,000 in a {@code messages} table of 100,000 one-to-one messages (the user
 * received 10% of them, about 10,000; every other user is a party to about 200), on MariaDB (FULLTEXT index, router V4) and on the embedded H2 (LIKE scan). Bodies are JSON strings of
 * 8 words from a 5,000-word vocabulary; {@code query}: {@code common} (a word in 10% of all messages), {@code rare}
 * (0.1%), {@code short} ("ox", 1%: below InnoDB's 3-character minimum, matched with LIKE on MariaDB too), {@code none}
 * (a word no message has: the worst case, the scan reads everything it may).
 *
 * <p>MariaDB from {@code SB_TEST_MYSQL_*} (as the tests: 127.0.0.1:3306, switchboard/switchboard); the bench makes and
 * drops its own database. Run: {@code java -jar target/switchboard-jmh.jar SearchQueryBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class SearchQueryBench {
  private static final int MESSAGES = 100_000;
  private static final int USERS = 1_000;
  private static final long UID = 7;

  @Param({"mariadb", "h2"})
  public String backend;

  @Param({"common", "rare", "short", "none"})
  public String query;

  private Vertx vertx;
  private Pool pool;
  private Path dir;
  private String database;
  private SqlMessageSearchStore store;
  private List<String> terms;

  @Setup
  public void setUp() throws Exception {
    vertx = Vertx.vertx();
    JsonObject db;
    if (backend.equals("h2")) {
      dir = Files.createTempDirectory("search-bench");
      db = new JsonObject().put("kind", "h2").put("path", dir.resolve("db").toString());
    } else {
      database = "sb_bench_search_" + System.nanoTime();
      admin("CREATE DATABASE " + database);
      db = new JsonObject().put("kind", "mysql").put("host", env("SB_TEST_MYSQL_HOST", "127.0.0.1"))
          .put("port", Integer.parseInt(env("SB_TEST_MYSQL_PORT", "3306"))).put("database", database)
          .put("user", env("SB_TEST_MYSQL_USER", "switchboard"))
          .put("password", env("SB_TEST_MYSQL_PASSWORD", "switchboard"));
    }
    DbConfig config = DbConfig.from(db);
    SchemaMigrations.apply(config, List.of(RouterVerticle.SCHEMA));
    pool = Database.pool(vertx, config);
    fill();
    store = new SqlMessageSearchStore(pool, Dialect.of(config));
    terms = List.of(switch (query) {
      case "common" -> "lorem";
      case "rare" -> "zebra";
      case "short" -> "ox";
      default -> "nowhere";
    });
    SearchReply check = search();
    if (!query.equals("none") && check.hits().isEmpty()) {
      throw new IllegalStateException("no hits for " + query);
    }
  }

  /** 100,000 messages in batches of 1,000, the same data on every run (seeded). */
  private void fill() throws Exception {
    Random random = new Random(42);
    String insert = "INSERT INTO messages (mid, sender, recipient, cid, type, body, ts, sender_seq, recipient_seq, "
        + "recv_no) VALUES (?, ?, ?, ?, 'text', ?, ?, ?, ?, 0)";
    long[] seqs = new long[USERS + 1];
    List<Tuple> batch = new ArrayList<>(1000);
    for (int i = 1; i <= MESSAGES; i++) {
      long from = 1 + random.nextInt(USERS);
      long to = random.nextInt(10) == 0 ? UID : 1 + random.nextInt(USERS);
      StringBuilder body = new StringBuilder("\"");
      for (int w = 0; w < 8; w++) {
        body.append(w == 0 ? "" : " ").append("word").append(random.nextInt(5_000));
      }
      if (random.nextInt(10) == 0) {
        body.append(" lorem");
      }
      if (random.nextInt(1000) == 0) {
        body.append(" zebra");
      }
      if (random.nextInt(100) == 0) {
        body.append(" ox");
      }
      body.append('"');
      long senderSeq = ++seqs[(int) from];
      long recipientSeq = from == to ? senderSeq : ++seqs[(int) to];
      batch.add(Tuple.of((long) i << 22, from, to, "c" + i, body.toString(), 1_700_000_000_000L + i, senderSeq,
          recipientSeq));
      if (batch.size() == 1000) {
        pool.preparedQuery(insert).executeBatch(batch).await(60, TimeUnit.SECONDS);
        batch = new ArrayList<>(1000);
      }
    }
  }

  private SearchReply search() throws Exception {
    return SearchScan.run((before, n) -> store.candidates(UID, 0, terms, before, n), terms, 0, 20)
        .await(60, TimeUnit.SECONDS);
  }

  @Benchmark
  public SearchReply page() throws Exception {
    return search();
  }

  @TearDown
  public void tearDown() throws Exception {
    pool.close().await(10, TimeUnit.SECONDS);
    if (database != null) {
      admin("DROP DATABASE " + database);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
    if (dir != null) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void admin(String sql) throws Exception {
    Pool admin = MySQLBuilder.pool().connectingTo(new MySQLConnectOptions()
            .setHost(env("SB_TEST_MYSQL_HOST", "127.0.0.1")).setPort(Integer.parseInt(env("SB_TEST_MYSQL_PORT", "3306")))
            .setUser(env("SB_TEST_MYSQL_USER", "switchboard")).setPassword(env("SB_TEST_MYSQL_PASSWORD", "switchboard")))
        .using(vertx).build();
    try {
      admin.query(sql).execute().await(60, TimeUnit.SECONDS);
    } finally {
      admin.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? fallback : v;
  }
}

package dev.switchboard.shared.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.DatabaseException;
import java.net.ConnectException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The writer's isolation of failing rows, against a fake store: a transaction "commits" when none of its items is
 * bad, and is refused whole otherwise, as a database refuses a transaction one of whose rows breaks a unique key.
 */
@ExtendWith(VertxExtension.class)
class BatchWriterTest {
  private static final int BATCH = 16;

  /** A store of integers: a negative one is a row the database refuses; a stored item's outcome is itself × 10. */
  private static class FakeStore implements Function<List<Integer>, Future<List<Object>>> {
    final List<List<Integer>> transactions = new CopyOnWriteArrayList<>();
    final List<Integer> committed = new CopyOnWriteArrayList<>();
    Throwable refusal = new SQLIntegrityConstraintViolationException("Unique index violation", "23505");

    @Override
    public Future<List<Object>> apply(List<Integer> items) {
      transactions.add(List.copyOf(items));
      if (items.stream().anyMatch(i -> i < 0)) {
        return Future.failedFuture(refusal);
      }
      committed.addAll(items);
      return Future.succeededFuture(items.stream().<Object>map(i -> i * 10).toList());
    }
  }

  /** Submits every item at once on one event loop (so they share a batch) and waits for every outcome. */
  private static List<Future<Integer>> submitAll(Vertx vertx, BatchWriter<Integer, Integer> writer,
                                                 List<Integer> items) throws Exception {
    Promise<List<Future<Integer>>> submitted = Promise.promise();
    vertx.runOnContext(v -> {
      List<Future<Integer>> out = new ArrayList<>();
      items.forEach(i -> out.add(writer.submit(i)));
      submitted.complete(out);
    });
    List<Future<Integer>> futures = submitted.future().await(10, TimeUnit.SECONDS);
    Future.join(futures).otherwiseEmpty().await(10, TimeUnit.SECONDS);
    return futures;
  }

  private static List<Integer> items(int... bad) {
    List<Integer> out = new ArrayList<>();
    for (int i = 1; i <= BATCH; i++) {
      out.add(i);
    }
    for (int b : bad) {
      out.set(b, -out.get(b));
    }
    return out;
  }

  private static BatchWriter<Integer, Integer> writer(Vertx vertx, FakeStore store) {
    return new BatchWriter<>(vertx, "test", store, BATCH, 1_000, 1_000);
  }

  @Test
  void aBatchOfGoodRowsIsOneTransaction(Vertx vertx) throws Exception {
    FakeStore store = new FakeStore();
    List<Future<Integer>> out = submitAll(vertx, writer(vertx, store), items());
    assertEquals(List.of(items()), store.transactions, "group commit: one transaction for the batch");
    for (int i = 0; i < BATCH; i++) {
      assertEquals((i + 1) * 10, out.get(i).result());
    }
  }

  @Test
  void rowsTheDatabaseRefusesFailAloneAndEveryOtherRowCommitsOnce(Vertx vertx) throws Exception {
    FakeStore store = new FakeStore();
    List<Integer> items = items(3, 11);
    List<Future<Integer>> out = submitAll(vertx, writer(vertx, store), items);

    for (int i = 0; i < BATCH; i++) {
      if (items.get(i) < 0) {
        assertTrue(out.get(i).failed(), "item " + i);
        assertEquals(ErrorCode.INTERNAL, ((ImException) out.get(i).cause()).code());
      } else {
        assertEquals(items.get(i) * 10, out.get(i).result(), "item " + i + " is stored and answered");
      }
    }
    List<Integer> good = items.stream().filter(i -> i > 0).sorted().toList();
    assertEquals(good, store.committed.stream().sorted().toList(), "every good row committed exactly once");
    assertEquals(items, store.transactions.get(0), "the batch was tried whole first");
    // Halving finds each bad row in about 2·log2(16) transactions, plus the retries of the row alone.
    assertTrue(store.transactions.size() <= 2 * (2 * 4 + 4) + 1, "transactions: " + store.transactions.size());
  }

  @Test
  void vendorErrorsAreIsolatedLikeSqlExceptions(Vertx vertx) throws Exception {
    FakeStore store = new FakeStore();
    store.refusal = new DatabaseException("Duplicate entry '1-abc' for key 'uk_messages_sender_cid'", 1062, "23000",
        null) {
    };
    List<Future<Integer>> out = submitAll(vertx, writer(vertx, store), items(0));
    assertTrue(out.get(0).failed());
    for (int i = 1; i < BATCH; i++) {
      assertEquals((i + 1) * 10, out.get(i).result());
    }
  }

  @Test
  void aRowRefusedOnceIsWrittenByItsRetry(Vertx vertx) throws Exception {
    // Another instance committed the same (sender, cid) between this batch's lookup and its insert: the retry's
    // lookup answers it. Here: item 5 is refused the first two times it is written, then stored.
    FakeStore store = new FakeStore() {
      int refusals;

      @Override
      public Future<List<Object>> apply(List<Integer> items) {
        if (items.contains(5) && refusals < 2) {
          refusals++;
          transactions.add(List.copyOf(items));
          return Future.failedFuture(refusal);
        }
        return super.apply(items);
      }
    };
    List<Future<Integer>> out = submitAll(vertx, writer(vertx, store), items());
    for (int i = 0; i < BATCH; i++) {
      assertEquals((i + 1) * 10, out.get(i).result(), "item " + i);
    }
    assertEquals(items(), store.committed.stream().sorted().toList());
  }

  @Test
  void anUnreachableDatabaseFailsTheBatchUnavailableWithoutSplittingIt(Vertx vertx) throws Exception {
    FakeStore store = new FakeStore();
    store.refusal = new io.vertx.core.VertxException(new ConnectException("Connection refused"));
    List<Future<Integer>> out = submitAll(vertx, writer(vertx, store), items(0));
    out.forEach(f -> assertEquals(ErrorCode.UNAVAILABLE, ((ImException) f.cause()).code()));
    assertEquals(4, store.transactions.size(), "retried whole, a few times");
    store.transactions.forEach(t -> assertEquals(BATCH, t.size()));
    assertFalse(BatchWriter.refusedByDatabase(store.refusal));
    assertFalse(BatchWriter.refusedByDatabase(new java.sql.SQLNonTransientConnectionException("gone", "08006")));
  }
}

package dev.switchboard.shared.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.protocol.contract.SearchReply;
import dev.switchboard.protocol.contract.SyncEntry;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SearchScanTest {
  /** Messages with mids 1..n, newest first; those whose mid {@code matches} say "cat", the others "dog". */
  private static List<SyncEntry> messages(int n, java.util.function.LongPredicate matches) {
    List<SyncEntry> out = new ArrayList<>();
    for (long mid = n; mid >= 1; mid--) {
      out.add(SyncEntry.message(mid, "c" + mid, 1, 2, mid, mid, "text",
          (matches.test(mid) ? "\"cat\"" : "\"dog\"").getBytes(StandardCharsets.UTF_8), false));
    }
    return out;
  }

  /** Candidates from {@code all} (every message is a candidate: the check decides), counting the batches asked. */
  private static SearchScan.Candidates over(List<SyncEntry> all, AtomicInteger batches) {
    return (before, n) -> {
      batches.incrementAndGet();
      return Future.succeededFuture(all.stream().filter(e -> e.mid() < before).limit(n).toList());
    };
  }

  private static List<Long> mids(SearchReply r) {
    return r.hits().stream().map(SyncEntry::mid).toList();
  }

  private static SearchReply run(List<SyncEntry> all, AtomicInteger batches, long before, int limit) {
    return SearchScan.run(over(all, batches), List.of("cat"), before, limit).result();
  }

  @Test
  void aFullPageStopsAtItsLastHitAndTheRestFollowsFromThere() {
    List<SyncEntry> all = messages(100, mid -> mid % 10 == 0);
    AtomicInteger batches = new AtomicInteger();
    SearchReply first = run(all, batches, 0, 3);
    assertEquals(List.of(100L, 90L, 80L), mids(first));
    assertEquals(80L, first.next());
    assertEquals(2, batches.get(), "batches of 20 (the smallest): 100..81, then 80..61");
    SearchReply rest = run(all, batches, first.next(), 50);
    assertEquals(List.of(70L, 60L, 50L, 40L, 30L, 20L, 10L), mids(rest));
    assertEquals(0L, rest.next(), "the scan reached the oldest message");
  }

  @Test
  void aScanStopsAfterItsBatchesWithWhereItStopped() {
    List<SyncEntry> all = messages(1000, mid -> mid == 1);
    AtomicInteger batches = new AtomicInteger();
    SearchReply r = run(all, batches, 0, 10);
    assertEquals(List.of(), mids(r), "nothing among the newest 4 × 20");
    assertEquals(SearchScan.MAX_BATCHES, batches.get());
    assertEquals(921L, r.next(), "the last mid read: the next page goes on below it");
    assertEquals(List.of(), mids(run(all, batches, 0, 50)), "4 × 100");
  }

  @Test
  void theLastHitOfTheLastBatchEndsTheScan() {
    List<SyncEntry> all = messages(5, mid -> mid == 1 || mid == 3);
    SearchReply r = run(all, new AtomicInteger(), 0, 2);
    assertEquals(List.of(3L, 1L), mids(r));
    assertEquals(0L, r.next(), "mid 1 was the oldest: nothing follows");
  }
}

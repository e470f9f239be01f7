package dev.switchboard.api.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.protocol.contract.SearchReply;
import dev.switchboard.protocol.contract.SyncEntry;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the route merges the router's and the group verticle's pages into one. */
class SearchRoutesTest {
  private static SearchReply page(long next, long... mids) {
    return new SearchReply(Arrays.stream(mids).mapToObj(m -> SyncEntry.message(m, "c", 1, 2, m, m, "text",
        "\"x\"".getBytes(java.nio.charset.StandardCharsets.UTF_8), false)).toList(), next);
  }

  private static List<Long> mids(SearchReply r) {
    return r.hits().stream().map(SyncEntry::mid).toList();
  }

  @Test
  void hitsBelowWhatAnotherSourceScannedWaitForTheNextPage() {
    // The router scanned down to 50 (more may follow below); the groups were scanned to the end.
    SearchReply merged = SearchRoutes.merge(List.of(page(50, 90, 50), page(0, 70, 20)), 10);
    assertEquals(List.of(90L, 70L, 50L), mids(merged), "20 could be preceded by router hits not read yet");
    assertEquals(50L, merged.next());
  }

  @Test
  void aFullPageEndsAtItsLastHit() {
    SearchReply merged = SearchRoutes.merge(List.of(page(0, 90, 50, 10), page(0, 70, 20)), 3);
    assertEquals(List.of(90L, 70L, 50L), mids(merged));
    assertEquals(50L, merged.next());
  }

  @Test
  void exhaustedSourcesEndTheSearch() {
    SearchReply merged = SearchRoutes.merge(List.of(page(0, 90), page(0, 70, 20)), 3);
    assertEquals(List.of(90L, 70L, 20L), mids(merged));
    assertEquals(0L, merged.next());
    assertEquals(0L, SearchRoutes.merge(List.of(page(0), page(0)), 3).next());
  }
}

package dev.switchboard.shared.contract;

import java.util.List;

/**
 * One fully populated sample of every contract (every field set to a value other than its default), in the order of
 * {@link Contracts#ALL}. Its encoding at the time the contract got its current version is committed as the golden
 * file {@code contracts/<name>/v<version>.hex}.
 */
final class ContractSamples {
  private ContractSamples() {
  }

  static final List<Contract> ALL = List.of(
      new RecvRequest(42, "mobile", 1001),
      Ack.INSTANCE,
      new SyncRequest(42, 1000, 100),
      new GroupSyncRequest(42, 7, 1000, 100),
      new SyncEntry(SyncEntry.MESSAGE, 123456789012345L, "c-1", 42, 43, 7, 1001, 1_700_000_000_000L, "text",
          "{\"text\":\"h\u00e9llo \u4e16\u754c\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), true, 44,
          "{\"kind\":\"renamed\",\"by\":42,\"name\":\"n\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
      new SyncPage(7, List.of(
          SyncEntry.message(5, "c-2", 42, 43, 1001, 1_700_000_000_000L, "text",
              "\"hi\"".getBytes(java.nio.charset.StandardCharsets.UTF_8), false),
          SyncEntry.recall(5, 42, 1002, 0),
          SyncEntry.event(7, 1003, 1_700_000_000_001L,
              "{\"kind\":\"left\",\"by\":43,\"member\":43}".getBytes(java.nio.charset.StandardCharsets.UTF_8))),
          true, 1500)
  );
}

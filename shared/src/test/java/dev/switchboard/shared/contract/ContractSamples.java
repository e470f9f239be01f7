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
      new SendRequest(42, "k3j2h1", "c-17", 43, "text", "{\"text\":\"héllo\"}".getBytes(
          java.nio.charset.StandardCharsets.UTF_8), true),
      new GroupSendRequest(42, "k3j2h1", "c-18", 9, "text", "[1,\"two\",{\"3\":null}]".getBytes(
          java.nio.charset.StandardCharsets.UTF_8)),
      new SendReply(7_200_000_000_123L, 88, 1_764_000_000_000L, 9, true)
  );
}

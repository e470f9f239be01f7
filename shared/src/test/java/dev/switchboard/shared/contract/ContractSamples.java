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
      Ack.INSTANCE
  );
}

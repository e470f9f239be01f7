package dev.switchboard.protocol.contract;

/**
 * A typed message between verticles: one record per event-bus address and direction (request, reply, event,
 * control), the only thing verticles built from different commits share.
 *
 * <p>Records are immutable (byte arrays they hold are never modified after construction), so local delivery hands
 * the receiver the sender's instance; across the cluster {@link ContractCodec} writes them in the tagged form of
 * {@link ContractWriter}. Rules for evolving one (docs/architecture.md, "Bus contracts"):
 * <ul>
 *   <li>a field number, once used, keeps its meaning and wire type forever; removed fields leave their number unused;</li>
 *   <li>new fields are optional: a reader that does not know a field skips it, a reader that misses a field gets its
 *       default (0, false, null), and must behave as an older sender meant;</li>
 *   <li>a change that cannot follow these rules is a new contract with a new {@link ContractType} id;</li>
 *   <li>every contract has a golden sample under shared/src/test/resources/contracts/, which must still decode.</li>
 * </ul>
 */
public interface Contract {
  /** The registered type of this record. */
  ContractType<?> type();

  /** Writes the fields (not the type header) in the tagged form. */
  void write(ContractWriter w);
}

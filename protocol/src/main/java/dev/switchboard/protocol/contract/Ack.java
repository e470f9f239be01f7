package dev.switchboard.protocol.contract;

/** The reply of a request that answers nothing but success (failures travel as event-bus failures with a code). */
public record Ack() implements Contract {
  public static final ContractType<Ack> TYPE = new ContractType<>(2, "Ack", 1, Ack.class, Ack::decode);
  public static final Ack INSTANCE = new Ack();

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
  }

  static Ack decode(ContractReader r) {
    while (r.next() != 0) {
      r.skip();
    }
    return INSTANCE;
  }
}

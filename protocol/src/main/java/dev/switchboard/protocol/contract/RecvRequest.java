package dev.switchboard.protocol.contract;

/**
 * {@code im.router.recv} request: device {@code device} of user {@code uid} has every inbox message up to
 * {@code upTo} ({@code msg.recv}). Reply: {@link Ack}.
 */
public record RecvRequest(long uid, String device, long upTo) implements Contract {
  public static final ContractType<RecvRequest> TYPE =
      new ContractType<>(1, "RecvRequest", 1, RecvRequest.class, RecvRequest::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, uid).putString(2, device).putLong(3, upTo);
  }

  static RecvRequest decode(ContractReader r) {
    long uid = 0;
    String device = null;
    long upTo = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> uid = r.readLong();
        case 2 -> device = r.readString();
        case 3 -> upTo = r.readLong();
        default -> r.skip();
      }
    }
    return new RecvRequest(uid, device, upTo);
  }
}

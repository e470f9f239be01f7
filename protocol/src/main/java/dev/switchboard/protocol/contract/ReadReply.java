package dev.switchboard.protocol.contract;

/** Reply of {@code im.router.read} and {@code im.group.read}: what the reader has left unread there. */
public record ReadReply(long unread) implements Contract {
  public static final ContractType<ReadReply> TYPE =
      new ContractType<>(21, "ReadReply", 1, ReadReply.class, ReadReply::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, unread);
  }

  static ReadReply decode(ContractReader r) {
    long unread = 0;
    for (int f; (f = r.next()) != 0; ) {
      if (f == 1) {
        unread = r.readLong();
      } else {
        r.skip();
      }
    }
    return new ReadReply(unread);
  }
}

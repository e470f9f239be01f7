package dev.switchboard.protocol.contract;

/**
 * Reply of {@code im.router.read} and {@code im.group.read}: what the reader has left unread there, and (groups, v2)
 * how many of those messages mention the reader.
 */
public record ReadReply(long unread, long mentions) implements Contract {
  public static final ContractType<ReadReply> TYPE =
      new ContractType<>(21, "ReadReply", 2, ReadReply.class, ReadReply::decode);

  public ReadReply(long unread) {
    this(unread, 0);
  }

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, unread).putLong(2, mentions);
  }

  static ReadReply decode(ContractReader r) {
    long unread = 0;
    long mentions = 0;
    for (int f; (f = r.next()) != 0; ) {
      if (f == 1) {
        unread = r.readLong();
      } else if (f == 2) {
        mentions = r.readLong();
      } else {
        r.skip();
      }
    }
    return new ReadReply(unread, mentions);
  }
}

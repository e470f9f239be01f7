package dev.switchboard.protocol.contract;

/**
 * {@code im.router.versions} ({@code group} 0) and {@code im.group.versions} request, from the server API: every body
 * message {@code mid} has had, for moderation. Reply: a {@link SyncPage} of message entries, oldest first, each one
 * version (its {@code body}, and in {@code ts} the time it was written: the send for the first, the edit for the
 * others); the last is the current one. Fails {@code not_found}.
 */
public record MessageVersionsRequest(long group, long mid) implements Contract {
  public static final ContractType<MessageVersionsRequest> TYPE =
      new ContractType<>(104, "MessageVersionsRequest", 1, MessageVersionsRequest.class,
          MessageVersionsRequest::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, group).putLong(2, mid);
  }

  static MessageVersionsRequest decode(ContractReader r) {
    long group = 0;
    long mid = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> group = r.readLong();
        case 2 -> mid = r.readLong();
        default -> r.skip();
      }
    }
    return new MessageVersionsRequest(group, mid);
  }
}

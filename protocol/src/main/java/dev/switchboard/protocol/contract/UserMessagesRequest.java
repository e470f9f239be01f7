package dev.switchboard.protocol.contract;

/**
 * {@code im.router.user-messages} and {@code im.group.user-messages} request (the server API's export and purge):
 * the messages user {@code uid} sent (one-to-one, or in any group), in mid order after mid {@code after}, at most
 * {@code limit}. With {@code erase} each of them is deleted for everyone first (body erased, marked recalled; devices
 * see that on their next sync or history read) and the page lists them without bodies. Reply: {@link SyncPage} of
 * message entries ({@code more}: there may be more after the last one).
 */
public record UserMessagesRequest(long uid, long after, int limit, boolean erase) implements Contract {
  public static final ContractType<UserMessagesRequest> TYPE =
      new ContractType<>(92, "UserMessagesRequest", 1, UserMessagesRequest.class, UserMessagesRequest::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, uid).putLong(2, after).putInt(3, limit).putBool(4, erase);
  }

  static UserMessagesRequest decode(ContractReader r) {
    long uid = 0;
    long after = 0;
    int limit = 0;
    boolean erase = false;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> uid = r.readLong();
        case 2 -> after = r.readLong();
        case 3 -> limit = r.readInt();
        case 4 -> erase = r.readBool();
        default -> r.skip();
      }
    }
    return new UserMessagesRequest(uid, after, limit, erase);
  }
}

package dev.switchboard.protocol.contract;

/**
 * {@code im.router.conversations} request: user {@code uid}'s one-to-one conversations, read from the router's tables
 * for the HTTP API. {@code peer} 0: the list of conversations, most recent first, at most {@code limit}; otherwise the
 * messages of the conversation with {@code peer}, newest first, with mids below {@code before} (0: no bound), at most
 * {@code limit}. Reply: {@link ConversationsReply}; {@code unavailable} when no router answers.
 */
public record ConversationsRequest(long uid, long peer, long before, int limit) implements Contract {
  public static final ContractType<ConversationsRequest> TYPE =
      new ContractType<>(33, "ConversationsRequest", 1, ConversationsRequest.class, ConversationsRequest::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, uid).putLong(2, peer).putLong(3, before).putInt(4, limit);
  }

  static ConversationsRequest decode(ContractReader r) {
    long uid = 0;
    long peer = 0;
    long before = 0;
    int limit = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> uid = r.readLong();
        case 2 -> peer = r.readLong();
        case 3 -> before = r.readLong();
        case 4 -> limit = r.readInt();
        default -> r.skip();
      }
    }
    return new ConversationsRequest(uid, peer, before, limit);
  }
}

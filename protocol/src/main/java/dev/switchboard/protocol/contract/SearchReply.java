package dev.switchboard.protocol.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * Reply of {@code im.router.search} and {@code im.group.search}: the matching messages, newest first (one-to-one hits
 * as {@link SyncEntry#message} with the caller's inbox seq, group hits as {@link SyncEntry#groupMessage} with the
 * group's seq; stored bodies unparsed), and where the scan stopped: every matching message with a mid from
 * {@code next} up to the request's {@code before} is in {@code hits}; older ones may follow. {@code next} 0: the scan
 * reached the oldest message, nothing follows.
 */
public record SearchReply(List<SyncEntry> hits, long next) implements Contract {
  public static final ContractType<SearchReply> TYPE =
      new ContractType<>(131, "SearchReply", 1, SearchReply.class, SearchReply::decode);

  public SearchReply {
    hits = List.copyOf(hits);
  }

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putNestedList(1, hits).putLong(2, next);
  }

  static SearchReply decode(ContractReader r) {
    List<SyncEntry> hits = new ArrayList<>();
    long next = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> hits.add(r.readNested(SyncEntry.TYPE));
        case 2 -> next = r.readLong();
        default -> r.skip();
      }
    }
    return new SearchReply(hits, next);
  }
}

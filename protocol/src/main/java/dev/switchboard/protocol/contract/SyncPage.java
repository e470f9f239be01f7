package dev.switchboard.protocol.contract;

import java.util.List;

/**
 * The reply to {@link SyncRequest} and {@link GroupSyncRequest}: the page's entries in seq order, whether more follow
 * ({@code more}), the inbox's or group's latest seq ({@code head}) and, for a group page, the group ({@code group},
 * 0 for an inbox page). The gateway writes it into a {@code sync.batch} frame with
 * {@link dev.switchboard.protocol.frame.SyncFrames}: stored bodies are spliced in as they are, never parsed.
 */
public record SyncPage(long group, List<SyncEntry> entries, boolean more, long head) implements Contract {
  public static final ContractType<SyncPage> TYPE =
      new ContractType<>(83, "SyncPage", 1, SyncPage.class, SyncPage::decode);

  public SyncPage {
    entries = List.copyOf(entries);
  }

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, group).putNestedList(2, entries).putBool(3, more).putLong(4, head);
  }

  static SyncPage decode(ContractReader r) {
    long group = 0;
    List<SyncEntry> entries = new java.util.ArrayList<>();
    boolean more = false;
    long head = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> group = r.readLong();
        case 2 -> entries.add(r.readNested(SyncEntry.TYPE));
        case 3 -> more = r.readBool();
        case 4 -> head = r.readLong();
        default -> r.skip();
      }
    }
    return new SyncPage(group, entries, more, head);
  }
}

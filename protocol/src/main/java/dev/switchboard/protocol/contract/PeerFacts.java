package dev.switchboard.protocol.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * Reply of {@code im.api.peers} ({@link PeerCheck}): per pair, in the request's order, {@code flags} — the bits of
 * {@link PeerCheck#EXISTS}, {@link PeerCheck#BLOCKED} and {@link PeerCheck#CONTACT} that hold, among those asked —
 * and, when {@link PeerCheck#GROUP_ADD} was asked, {@code groupAdd}: the recipient's setting as its stored code
 * ({@code dev.switchboard.shared.privacy.GroupAdd#code()}); otherwise {@code groupAdd} is empty.
 */
public record PeerFacts(List<Integer> flags, List<Integer> groupAdd) implements Contract {
  public static final ContractType<PeerFacts> TYPE =
      new ContractType<>(61, "PeerFacts", 1, PeerFacts.class, PeerFacts::decode);

  public PeerFacts {
    flags = List.copyOf(flags);
    groupAdd = List.copyOf(groupAdd);
  }

  /** Whether every bit of {@code fact} holds for pair {@code i}. */
  public boolean has(int i, int fact) {
    return (flags.get(i) & fact) == fact;
  }

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLongs(1, ints(flags)).putLongs(2, ints(groupAdd));
  }

  private static long[] ints(List<Integer> list) {
    long[] a = new long[list.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = list.get(i);
    }
    return a;
  }

  static PeerFacts decode(ContractReader r) {
    List<Integer> flags = new ArrayList<>();
    List<Integer> groupAdd = new ArrayList<>();
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> flags.add(r.readInt());
        case 2 -> groupAdd.add(r.readInt());
        default -> r.skip();
      }
    }
    if (!groupAdd.isEmpty() && groupAdd.size() != flags.size()) {
      throw new IllegalArgumentException("PeerFacts: " + flags.size() + " pairs but " + groupAdd.size()
          + " groupAdd settings");
    }
    return new PeerFacts(flags, groupAdd);
  }
}

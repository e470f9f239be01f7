package dev.switchboard.protocol.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code im.api.peers} request: what the API (owner of accounts, contacts, blocks and privacy settings) knows about
 * each pair {@code (from[i], to[i])} — a sender and a recipient, or an adder and a user they put in a group. The API
 * answers {@link PeerFacts} with one entry per pair, in order, from one lookup on its own tables, so a caller asks
 * once per batch, never per message. {@code facts} says which facts to look up (bits below); the others read as
 * absent. On the wire two repeated fields of equal length, senders (1) and recipients (2), pair by position.
 *
 * <p>Failures: {@code unavailable} when no API instance answers (a caller sets a send timeout, so a slow one fails
 * the same way).
 */
public record PeerCheck(List<Long> from, List<Long> to, int facts) implements Contract {
  public static final ContractType<PeerCheck> TYPE =
      new ContractType<>(60, "PeerCheck", 1, PeerCheck.class, PeerCheck::decode);

  /** User {@code to} exists. */
  public static final int EXISTS = 1;
  /** {@code to} has blocked {@code from}. */
  public static final int BLOCKED = 2;
  /** {@code to} is an accepted contact of {@code from}. */
  public static final int CONTACT = 4;
  /** {@code to}'s {@code groupAdd} privacy setting ({@link PeerFacts#groupAdd()}). */
  public static final int GROUP_ADD = 8;

  public PeerCheck {
    if (from.size() != to.size()) {
      throw new IllegalArgumentException("PeerCheck: " + from.size() + " senders but " + to.size() + " recipients");
    }
    from = List.copyOf(from);
    to = List.copyOf(to);
  }

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  /** The number of pairs asked about. */
  public int size() {
    return from.size();
  }

  @Override
  public void write(ContractWriter w) {
    w.putLongs(1, longs(from)).putLongs(2, longs(to)).putInt(3, facts);
  }

  static long[] longs(List<Long> list) {
    long[] a = new long[list.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = list.get(i);
    }
    return a;
  }

  static PeerCheck decode(ContractReader r) {
    List<Long> from = new ArrayList<>();
    List<Long> to = new ArrayList<>();
    int facts = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> from.add(r.readLong());
        case 2 -> to.add(r.readLong());
        case 3 -> facts = r.readInt();
        default -> r.skip();
      }
    }
    return new PeerCheck(from, to, facts);
  }
}

package dev.switchboard.protocol.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * Published on {@code im.api.presence.audience} by the API instance that changed it: who hears the presence of each
 * of {@code uids} changed (their contacts, or their {@code lastSeen} setting). Every API instance drops what it
 * cached about them.
 */
public record PresenceAudience(List<Long> uids) implements Contract {
  public static final ContractType<PresenceAudience> TYPE =
      new ContractType<>(121, "PresenceAudience", 1, PresenceAudience.class, PresenceAudience::decode);

  public PresenceAudience {
    uids = List.copyOf(uids);
  }

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLongs(1, PeerCheck.longs(uids));
  }

  static PresenceAudience decode(ContractReader r) {
    List<Long> uids = new ArrayList<>();
    for (int f; (f = r.next()) != 0; ) {
      if (f == 1) {
        uids.add(r.readLong());
      } else {
        r.skip();
      }
    }
    return new PresenceAudience(uids);
  }
}

package dev.switchboard.protocol.contract;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reply of {@code im.group.memberships}: each group of the user (not dissolved) and its latest seq, in the order
 * found. On the wire two repeated fields of equal length, group ids (1) and seqs (2), pair by position.
 */
public record MembershipsReply(Map<Long, Long> heads) implements Contract {
  public static final ContractType<MembershipsReply> TYPE =
      new ContractType<>(29, "MembershipsReply", 1, MembershipsReply.class, MembershipsReply::decode);

  public MembershipsReply {
    heads = Collections.unmodifiableMap(new LinkedHashMap<>(heads));
  }

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    long[] gids = new long[heads.size()];
    long[] seqs = new long[heads.size()];
    int i = 0;
    for (Map.Entry<Long, Long> e : heads.entrySet()) {
      gids[i] = e.getKey();
      seqs[i++] = e.getValue();
    }
    w.putLongs(1, gids).putLongs(2, seqs);
  }

  static MembershipsReply decode(ContractReader r) {
    List<Long> gids = new ArrayList<>();
    List<Long> seqs = new ArrayList<>();
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> gids.add(r.readLong());
        case 2 -> seqs.add(r.readLong());
        default -> r.skip();
      }
    }
    if (gids.size() != seqs.size()) {
      throw new IllegalArgumentException("MembershipsReply: " + gids.size() + " groups but " + seqs.size() + " seqs");
    }
    Map<Long, Long> heads = new LinkedHashMap<>();
    for (int i = 0; i < gids.size(); i++) {
      heads.put(gids.get(i), seqs.get(i));
    }
    return new MembershipsReply(heads);
  }
}

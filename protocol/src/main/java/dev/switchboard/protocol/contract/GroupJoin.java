package dev.switchboard.protocol.contract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Control on {@code im.user.<uid>}: the user joined group {@code gid}: sessions subscribe to the group's address,
 * show {@code frame} (the {@code group.event} of the join, JSON) and catch up from {@code seq}. The array is never
 * modified.
 */
public record GroupJoin(long gid, long seq, byte[] frame) implements Contract {
  public static final ContractType<GroupJoin> TYPE =
      new ContractType<>(44, "GroupJoin", 1, GroupJoin.class, GroupJoin::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, gid).putLong(2, seq).putBytes(3, frame);
  }

  static GroupJoin decode(ContractReader r) {
    long gid = 0;
    long seq = 0;
    byte[] frame = null;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> gid = r.readLong();
        case 2 -> seq = r.readLong();
        case 3 -> frame = r.readBytes();
        default -> r.skip();
      }
    }
    return new GroupJoin(gid, seq, frame);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupJoin other && gid == other.gid && seq == other.seq
        && Arrays.equals(frame, other.frame);
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(gid) * 31 + Long.hashCode(seq)) * 31 + Arrays.hashCode(frame);
  }

  @Override
  public String toString() {
    return "GroupJoin[gid=" + gid + ", seq=" + seq + ", frame="
        + (frame == null ? null : new String(frame, StandardCharsets.UTF_8)) + "]";
  }
}

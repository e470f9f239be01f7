package dev.switchboard.protocol.contract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Control on {@code im.user.<uid>}: the user left or was removed from group {@code gid} (event seq {@code seq}):
 * sessions show {@code frame} (the {@code group.event}, JSON) and unsubscribe. The array is never modified.
 */
public record GroupLeave(long gid, long seq, byte[] frame) implements Contract {
  public static final ContractType<GroupLeave> TYPE =
      new ContractType<>(45, "GroupLeave", 1, GroupLeave.class, GroupLeave::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, gid).putLong(2, seq).putBytes(3, frame);
  }

  static GroupLeave decode(ContractReader r) {
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
    return new GroupLeave(gid, seq, frame);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupLeave other && gid == other.gid && seq == other.seq
        && Arrays.equals(frame, other.frame);
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(gid) * 31 + Long.hashCode(seq)) * 31 + Arrays.hashCode(frame);
  }

  @Override
  public String toString() {
    return "GroupLeave[gid=" + gid + ", seq=" + seq + ", frame="
        + (frame == null ? null : new String(frame, StandardCharsets.UTF_8)) + "]";
  }
}

package dev.switchboard.protocol.contract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Control on {@code im.group.g.<gid>}: the group was dissolved (event seq {@code seq}): every member session shows
 * {@code frame} (the {@code group.event}, JSON), then the gateway drops the group's subscription. The array is
 * never modified.
 */
public record GroupDissolve(long gid, long seq, byte[] frame) implements Contract {
  public static final ContractType<GroupDissolve> TYPE =
      new ContractType<>(46, "GroupDissolve", 1, GroupDissolve.class, GroupDissolve::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, gid).putLong(2, seq).putBytes(3, frame);
  }

  static GroupDissolve decode(ContractReader r) {
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
    return new GroupDissolve(gid, seq, frame);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupDissolve other && gid == other.gid && seq == other.seq
        && Arrays.equals(frame, other.frame);
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(gid) * 31 + Long.hashCode(seq)) * 31 + Arrays.hashCode(frame);
  }

  @Override
  public String toString() {
    return "GroupDissolve[gid=" + gid + ", seq=" + seq + ", frame="
        + (frame == null ? null : new String(frame, StandardCharsets.UTF_8)) + "]";
  }
}

package dev.switchboard.protocol.contract;

import java.util.Arrays;

/**
 * Reply of {@code im.group.manage}: the command's result as the JSON bytes of the HTTP API's response body (the
 * shapes listed in docs/protocol.md and the OpenAPI document, which evolve by that API's own rules). The API writes
 * them out as they are. The array is never modified.
 */
public record GroupCommandReply(byte[] json) implements Contract {
  public static final ContractType<GroupCommandReply> TYPE =
      new ContractType<>(27, "GroupCommandReply", 1, GroupCommandReply.class, GroupCommandReply::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putBytes(1, json);
  }

  static GroupCommandReply decode(ContractReader r) {
    return new GroupCommandReply(JsonBody.read(r));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupCommandReply other && Arrays.equals(json, other.json);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(json);
  }

  @Override
  public String toString() {
    return JsonBody.text("GroupCommandReply", json);
  }
}

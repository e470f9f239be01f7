package dev.switchboard.protocol.contract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code im.router.edit} ({@code group} 0) and {@code im.group.edit} request: user {@code uid} replaces the body of
 * message {@code mid}, which it sent, with {@code body} (the new body's JSON as the client sent it, validated and
 * depth-checked by the gateway; the owner of the message checks its size). {@code session} is the editing session (not
 * told again). Reply: {@link EditReply}.
 */
public record EditRequest(long uid, String session, long group, long mid, byte[] body) implements Contract {
  public static final ContractType<EditRequest> TYPE =
      new ContractType<>(100, "EditRequest", 1, EditRequest.class, EditRequest::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, uid).putString(2, session).putLong(3, group).putLong(4, mid).putBytes(5, body);
  }

  static EditRequest decode(ContractReader r) {
    long uid = 0;
    String session = null;
    long group = 0;
    long mid = 0;
    byte[] body = null;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> uid = r.readLong();
        case 2 -> session = r.readString();
        case 3 -> group = r.readLong();
        case 4 -> mid = r.readLong();
        case 5 -> body = r.readBytes();
        default -> r.skip();
      }
    }
    return new EditRequest(uid, session, group, mid, body);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EditRequest e && uid == e.uid && group == e.group && mid == e.mid
        && Objects.equals(session, e.session) && Arrays.equals(body, e.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(uid, session, group, mid, Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "EditRequest[uid=" + uid + ", session=" + session + ", group=" + group + ", mid=" + mid + ", body="
        + (body == null ? null : new String(body, StandardCharsets.UTF_8)) + "]";
  }
}

package dev.switchboard.protocol.contract;

import io.vertx.core.json.JsonObject;

/**
 * Reply of {@code im.router.send} and {@code im.group.send}: the stored message's id and time and the seq the sender
 * sees it at (the sender's inbox seq one-to-one; the group's seq, with {@code group} set, in a group).
 * {@code duplicate}: the (sender, cid) was stored before and this is the original's outcome.
 */
public record SendReply(long mid, long seq, long ts, long group, boolean duplicate) implements Contract {
  public static final ContractType<SendReply> TYPE =
      new ContractType<>(5, "SendReply", 1, SendReply.class, SendReply::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, mid).putLong(2, seq).putLong(3, ts).putLong(4, group).putBool(5, duplicate);
  }

  static SendReply decode(ContractReader r) {
    long mid = 0;
    long seq = 0;
    long ts = 0;
    long group = 0;
    boolean duplicate = false;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> mid = r.readLong();
        case 2 -> seq = r.readLong();
        case 3 -> ts = r.readLong();
        case 4 -> group = r.readLong();
        case 5 -> duplicate = r.readBool();
        default -> r.skip();
      }
    }
    return new SendReply(mid, seq, ts, group, duplicate);
  }

  /** The JSON a bridge client and the push API see: {@code {mid, seq, ts[, group]}} ({@code mid} a string). */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("mid", Long.toString(mid)).put("seq", seq).put("ts", ts);
    if (group != 0) {
      json.put("group", group);
    }
    return json;
  }
}

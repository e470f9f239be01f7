package dev.switchboard.protocol.contract;

import io.vertx.core.json.JsonObject;

/**
 * Reply of {@code im.router.recall} and {@code im.group.recall}: the recalled {@code mid}, the group ({@code gid}, 0
 * for a one-to-one message) and the recaller's seq of the recall entry ({@code seq}, 0 when the message had already
 * been recalled).
 */
public record RecallReply(long mid, long gid, long seq) implements Contract {
  public static final ContractType<RecallReply> TYPE =
      new ContractType<>(23, "RecallReply", 1, RecallReply.class, RecallReply::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, mid).putLong(2, gid).putLong(3, seq);
  }

  static RecallReply decode(ContractReader r) {
    long mid = 0;
    long gid = 0;
    long seq = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> mid = r.readLong();
        case 2 -> gid = r.readLong();
        case 3 -> seq = r.readLong();
        default -> r.skip();
      }
    }
    return new RecallReply(mid, gid, seq);
  }

  /** The fields clients see ({@code msg.recall.ok} and the HTTP reply): {@code {mid, group?, seq?}}. */
  public JsonObject fields() {
    JsonObject f = new JsonObject().put("mid", Long.toString(mid));
    if (gid != 0) {
      f.put("group", gid);
    }
    if (seq != 0) {
      f.put("seq", seq);
    }
    return f;
  }
}

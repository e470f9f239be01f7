package dev.switchboard.protocol.contract;

import io.vertx.core.json.JsonObject;

/**
 * Reply of {@code im.router.edit} and {@code im.group.edit}: the edited {@code mid}, its group (0 for a one-to-one
 * message), the seq of the edit entry (in the editor's inbox, or the group's timeline) and the edit's time.
 */
public record EditReply(long mid, long group, long seq, long editedAt) implements Contract {
  public static final ContractType<EditReply> TYPE =
      new ContractType<>(101, "EditReply", 1, EditReply.class, EditReply::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, mid).putLong(2, group).putLong(3, seq).putLong(4, editedAt);
  }

  static EditReply decode(ContractReader r) {
    long mid = 0;
    long group = 0;
    long seq = 0;
    long editedAt = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> mid = r.readLong();
        case 2 -> group = r.readLong();
        case 3 -> seq = r.readLong();
        case 4 -> editedAt = r.readLong();
        default -> r.skip();
      }
    }
    return new EditReply(mid, group, seq, editedAt);
  }

  /** The fields of {@code msg.edit.ok}: {@code {mid, seq, editedAt, group?}}. */
  public JsonObject fields() {
    JsonObject j = new JsonObject().put("mid", Long.toString(mid)).put("seq", seq).put("editedAt", editedAt);
    if (group != 0) {
      j.put("group", group);
    }
    return j;
  }
}

package dev.switchboard.protocol.contract;

import java.util.Arrays;

/**
 * Reply of {@code im.router.conversations}: the HTTP API's response body as JSON bytes ({@code {conversations}} or
 * {@code {messages, more}}, the shapes of docs/protocol.md and the OpenAPI document), stored bodies spliced in
 * unparsed. The API writes them out as they are; the array is never modified.
 */
public record ConversationsReply(byte[] json) implements Contract {
  public static final ContractType<ConversationsReply> TYPE =
      new ContractType<>(34, "ConversationsReply", 1, ConversationsReply.class, ConversationsReply::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putBytes(1, json);
  }

  static ConversationsReply decode(ContractReader r) {
    return new ConversationsReply(JsonBody.read(r));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConversationsReply other && Arrays.equals(json, other.json);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(json);
  }

  @Override
  public String toString() {
    return JsonBody.text("ConversationsReply", json);
  }
}

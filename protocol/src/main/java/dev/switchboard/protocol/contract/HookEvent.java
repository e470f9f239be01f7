package dev.switchboard.protocol.contract;

import java.util.Arrays;

/**
 * {@code im.hooks.events} (send, no reply): one webhook event for the webhook dispatcher, emitted after the change
 * it reports committed. {@code envelope} is the event's JSON as endpoints receive it
 * ({@code {"id", "type", "ts", "data"}}, docs/integration.md), encoded once by the emitter; the dispatcher splices it
 * into its batches unparsed. The array is never modified.
 *
 * @param eventType the event's {@code type} (e.g. {@code message.sent}), for routing to the endpoints that want it
 */
public record HookEvent(String eventType, byte[] envelope) implements Contract {
  public static final ContractType<HookEvent> TYPE =
      new ContractType<>(35, "HookEvent", 1, HookEvent.class, HookEvent::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putString(1, eventType).putBytes(2, envelope);
  }

  static HookEvent decode(ContractReader r) {
    String type = null;
    byte[] envelope = null;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> type = r.readString();
        case 2 -> envelope = r.readBytes();
        default -> r.skip();
      }
    }
    return new HookEvent(type, envelope);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HookEvent other && java.util.Objects.equals(eventType, other.eventType)
        && Arrays.equals(envelope, other.envelope);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Objects.hashCode(eventType) + Arrays.hashCode(envelope);
  }

  @Override
  public String toString() {
    return JsonBody.text("HookEvent[" + eventType + "]", envelope);
  }
}

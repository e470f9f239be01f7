package dev.switchboard.protocol.contract;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * The event-bus codec of one contract type (one instance per type, the default codec of its record class, named
 * {@code switchboard.contract.<name>}). Local delivery hands the receiver the sender's record: no copy, no encoding.
 * Across the cluster a record travels as {@code int length, varint type id, varint version, fields}; see
 * {@link Contracts#encode} and {@link Contracts#decode}.
 */
public final class ContractCodec<T extends Contract> implements MessageCodec<T, T> {
  private final ContractType<T> type;

  ContractCodec(ContractType<T> type) {
    this.type = type;
  }

  /** Registers the codec of every type in {@link Contracts#ALL} on {@code bus}. Idempotent per bus. */
  public static void register(EventBus bus) {
    for (ContractType<?> t : Contracts.ALL) {
      registerOne(bus, t);
    }
  }

  private static <T extends Contract> void registerOne(EventBus bus, ContractType<T> t) {
    try {
      bus.registerDefaultCodec(t.recordClass(), new ContractCodec<>(t));
    } catch (IllegalStateException alreadyRegistered) {
      // Another verticle of this Vert.x instance registered it first.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T record) {
    Buffer encoded = Contracts.encode(record);
    buffer.appendInt(encoded.length()).appendBuffer(encoded);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    Contract c = Contracts.decode(buffer.slice(pos + 4, pos + 4 + length));
    return type.recordClass().cast(c);
  }

  @Override
  public T transform(T record) {
    return record;
  }

  @Override
  public String name() {
    return "switchboard.contract." + type.name();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}

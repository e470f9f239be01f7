package dev.switchboard.protocol.frame;

import dev.switchboard.protocol.contract.ContractCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Event-bus codec of {@link OutFrame}. Local delivery hands every consumer the same instance (its bytes never
 * change), so a frame published to many sessions of a node is neither re-encoded nor copied; across the cluster it
 * travels as its JSON bytes, once per node.
 */
public final class OutFrameCodec implements MessageCodec<OutFrame, OutFrame> {
  public static final String NAME = "switchboard.outframe";

  /**
   * Registers the project's codecs on {@code bus}: this one as the default for {@link OutFrame},
   * and every bus contract's ({@link ContractCodec#register}). Idempotent: every
   * verticle calls it, the first one registers.
   */
  public static void register(EventBus bus) {
    ContractCodec.register(bus);
    try {
      bus.registerDefaultCodec(OutFrame.class, new OutFrameCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // Another verticle of this Vert.x instance registered them first.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, OutFrame frame) {
    byte[] json = frame.jsonBytes();
    buffer.appendInt(json.length).appendBytes(json);
  }

  @Override
  public OutFrame decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return OutFrame.ofJsonBytes(buffer.getBytes(pos + 4, pos + 4 + length));
  }

  @Override
  public OutFrame transform(OutFrame frame) {
    return frame;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}

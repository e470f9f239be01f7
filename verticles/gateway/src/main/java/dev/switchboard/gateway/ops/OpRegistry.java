package dev.switchboard.gateway.ops;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's one table of client ops, from op name to its {@link ClientOp}. Immutable once built, so every gateway
 * instance may share it.
 */
public final class OpRegistry {
  private final Map<String, ClientOp> ops;

  /** Fails on two ops with the same name. */
  public OpRegistry(List<ClientOp> ops) {
    Map<String, ClientOp> byName = new HashMap<>();
    for (ClientOp op : ops) {
      if (byName.putIfAbsent(op.name(), op) != null) {
        throw new IllegalArgumentException("two handlers for op '" + op.name() + "'");
      }
    }
    this.ops = Map.copyOf(byName);
  }

  /** Every op name it answers. */
  public Set<String> names() {
    return ops.keySet();
  }

  /** The op named {@code name}; throws {@code unknown_op} for any other name. */
  public ClientOp get(String name) {
    ClientOp op = ops.get(name);
    if (op == null) {
      throw new ImException(ErrorCode.UNKNOWN_OP, "unknown op '" + name + "'");
    }
    return op;
  }
}

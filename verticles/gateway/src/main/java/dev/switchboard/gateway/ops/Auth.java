package dev.switchboard.gateway.ops;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.OpNames;
import io.vertx.core.Future;
import java.util.regex.Pattern;

/**
 * {@code auth {id, token, device}}, before authentication only: the connection verifies the token and answers
 * {@code auth.ok} (or {@code auth_failed} and closes). A bad {@code token} or {@code device} field is answered
 * {@code invalid_field} and the connection stays unauthenticated.
 */
public record Auth() implements ClientOp {
  private static final Pattern DEVICE = Pattern.compile("[a-z0-9_-]{1,16}");

  @Override
  public String name() {
    return OpNames.AUTH;
  }

  @Override
  public Access access() {
    return Access.GUEST;
  }

  @Override
  public Future<Void> handle(Caller caller, Frame frame) {
    caller.authenticate(frame.requireString("token", 4096), device(frame.optString("device", null, 16)), frame.id());
    return Future.succeededFuture();
  }

  /** A device kind, {@code [a-z0-9_-]{1,16}}; throws {@code invalid_field} otherwise (null included). */
  public static String device(String device) {
    if (device == null || !DEVICE.matcher(device).matches()) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'device' must match [a-z0-9_-]{1,16}");
    }
    return device;
  }
}

package dev.switchboard.gateway.ops;

import dev.switchboard.gateway.session.Session;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.Frames;
import dev.switchboard.protocol.frame.OpNames;
import dev.switchboard.shared.auth.Tokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code auth.refresh {id, token}} → {@code auth.refresh.ok {id, expiresAt}}: the session goes on with a fresh token of
 * the same user (from {@code POST /api/v1/sessions/refresh}) instead of ending when its current one expires. A token
 * that fails the check or belongs to someone else fails {@code auth_failed}, and the session keeps its current token.
 */
public record AuthRefresh(Tokens tokens) implements ClientOp {
  @Override
  public String name() {
    return OpNames.AUTH_REFRESH;
  }

  @Override
  public Future<JsonObject> handle(Caller caller, Frame frame) {
    String token = frame.requireString("token", 4096);
    Session s = caller.session();
    return tokens.check(token).map(v -> {
      if (v.uid() != s.uid()) {
        throw new ImException(ErrorCode.AUTH_FAILED, "the token belongs to another user");
      }
      s.useToken(v.idHash(), v.issuedAt(), v.expiresAt());
      return Frames.reply(OpNames.AUTH_REFRESH_OK, frame.id()).put("expiresAt", v.expiresAt());
    });
  }
}

package dev.switchboard.gateway.ops;

import dev.switchboard.gateway.session.Session;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.ApiCallReply;
import dev.switchboard.protocol.contract.ApiCallRequest;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.Frames;
import dev.switchboard.protocol.frame.OpNames;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;

/**
 * {@code api {id, method, path, body?}} → {@code api.result {id, status, body}}: the HTTP API, called as this session's
 * user through the same routes as over HTTP (an API verticle, {@code im.api.call}, replays it to itself). {@code path}
 * starts with {@code /api/v1/} and may carry a query string.
 */
public record ApiCall(Asks asks) implements ClientOp {
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  @Override
  public String name() {
    return OpNames.API;
  }

  @Override
  public Future<JsonObject> handle(Caller caller, Frame frame) {
    Session session = caller.session();
    String method = frame.requireString("method", 8).toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'method' must be one of " + METHODS);
    }
    String path = frame.requireString("path", 2048);
    if (!path.startsWith("/api/v1/") || path.contains("..") || path.contains("#") || !path.matches("\\S+")) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'path' must be an /api/v1/ path");
    }
    // Handed on as the bytes it arrived as: the API route parses and validates it like an HTTP body.
    byte[] body = frame.bodyBytes();
    ApiCallRequest request = new ApiCallRequest(session.uid(), session.tokenHash(), session.tokenIssuedAt(),
        session.tokenExpiresAt(), session.address(), method, path, body);
    return asks.<ApiCallReply>ask(Addresses.API_CALL, request).map(reply -> Frames.reply(OpNames.API_RESULT,
        frame.id()).put("status", reply.status()).put("body", responseBody(reply.body())));
  }

  /** The HTTP response body as JSON, or as a string when it is not JSON; null when empty. */
  private static Object responseBody(byte[] body) {
    if (body == null) {
      return null;
    }
    Buffer b = Buffer.buffer(body);
    try {
      return Json.decodeValue(b);
    } catch (RuntimeException e) {
      return b.toString();
    }
  }
}

package dev.switchboard.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.gateway.config.OpLimitsConfig;
import dev.switchboard.gateway.config.RoomConfig;
import dev.switchboard.gateway.ops.Asks;
import dev.switchboard.gateway.ops.ClientOp;
import dev.switchboard.gateway.ops.OpLimits;
import dev.switchboard.gateway.ops.OpRegistry;
import dev.switchboard.gateway.ops.Ping;
import dev.switchboard.gateway.rooms.Rooms;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.frame.OpNames;
import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.config.AuthConfig;
import dev.switchboard.shared.config.SendRateConfig;
import dev.switchboard.shared.config.StateConfig;
import dev.switchboard.shared.limits.RateLimiter;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway's one op table: which ops it holds, when each may be sent, and that each is in the protocol doc. */
@ExtendWith(VertxExtension.class)
class ClientOpsTest {
  private static OpRegistry registry(Vertx vertx) {
    StateStore state = StateStore.create(vertx, StateConfig.from(null));
    RateLimiter limiter = new RateLimiter(state, 1_000);
    Tokens tokens = Tokens.create(vertx, AuthConfig.from(new JsonObject()
        .put("secret", "client-ops-test-secret-0123456789abcdef")), state);
    return ClientOps.registry(tokens, new Asks(vertx.eventBus(), 1_000),
        new OpLimits(limiter, OpLimitsConfig.from(null), SendRateConfig.from(null)),
        new Rooms(vertx, RoomConfig.from(null), state, limiter), vertx.eventBus(), UserBus.of(vertx));
  }

  @Test
  void everyClientOpHasOneHandlerAndSaysWhenItMayBeSent(Vertx vertx) {
    OpRegistry ops = registry(vertx);
    Map<String, ClientOp.Access> access = ops.names().stream()
        .collect(Collectors.toMap(name -> name, name -> ops.get(name).access()));
    assertEquals(Map.ofEntries(
        Map.entry(OpNames.PING, ClientOp.Access.ANYONE),
        Map.entry(OpNames.AUTH, ClientOp.Access.GUEST),
        Map.entry(OpNames.AUTH_REFRESH, ClientOp.Access.SESSION),
        Map.entry(OpNames.MSG_SEND, ClientOp.Access.SESSION),
        Map.entry(OpNames.SYNC, ClientOp.Access.SESSION),
        Map.entry(OpNames.MSG_RECV, ClientOp.Access.SESSION),
        Map.entry(OpNames.MSG_READ, ClientOp.Access.SESSION),
        Map.entry(OpNames.MSG_RECALL, ClientOp.Access.SESSION),
        Map.entry(OpNames.MSG_EDIT, ClientOp.Access.SESSION),
        Map.entry(OpNames.MSG_REACT, ClientOp.Access.SESSION),
        Map.entry(OpNames.TYPING, ClientOp.Access.SESSION),
        Map.entry(OpNames.API, ClientOp.Access.SESSION),
        Map.entry(OpNames.ROOM_JOIN, ClientOp.Access.SESSION),
        Map.entry(OpNames.ROOM_LEAVE, ClientOp.Access.SESSION),
        Map.entry(OpNames.ROOM_SEND, ClientOp.Access.SESSION)), access);
  }

  @Test
  void everyOpIsDocumentedAmongTheClientOpsOfTheProtocol(Vertx vertx) throws Exception {
    String doc = Files.readString(Path.of("../../docs/protocol.md"));
    String clientOps = doc.substring(doc.indexOf("## 3. Client → server ops"), doc.indexOf("## 4. Server → client"));
    Set<String> undocumented = registry(vertx).names().stream()
        .filter(name -> !clientOps.contains("{\"op\": \"" + name + "\""))
        .collect(Collectors.toSet());
    assertTrue(undocumented.isEmpty(), "ops with no example in docs/protocol.md section 3: " + undocumented);
  }

  @Test
  void anUnknownNameIsUnknownOpAndTwoHandlersForOneOpAreRefused() {
    OpRegistry ops = new OpRegistry(List.of(new Ping()));
    ImException e = assertThrows(ImException.class, () -> ops.get("msg.sned"));
    assertEquals(ErrorCode.UNKNOWN_OP, e.code());
    assertEquals("unknown op 'msg.sned'", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new OpRegistry(List.of(new Ping(), new Ping())));
  }
}

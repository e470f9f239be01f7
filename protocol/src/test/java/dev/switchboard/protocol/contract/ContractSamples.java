package dev.switchboard.protocol.contract;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One fully populated sample of every contract (every field set to a value other than its default), in the order of
 * {@link Contracts#ALL}. Its encoding at the time the contract got its current version is committed as the golden
 * file {@code contracts/<name>/v<version>.hex}.
 */
final class ContractSamples {
  private ContractSamples() {
  }

  static final List<Contract> ALL = List.of(
      new RecvRequest(42, "mobile", 1001),
      Ack.INSTANCE,
      new SendRequest(42, "k3j2h1", "c-17", 43, "text", "{\"text\":\"héllo\"}".getBytes(
          java.nio.charset.StandardCharsets.UTF_8), true, 7_000_000_001L),
      new GroupSendRequest(42, "k3j2h1", "c-18", 9, "text", "[1,\"two\",{\"3\":null}]".getBytes(
          java.nio.charset.StandardCharsets.UTF_8), 7_000_000_002L, new long[] {43, 44}, true),
      new SendReply(7_200_000_000_123L, 88, 1_764_000_000_000L, 9, true),
      new ReadRequest(42, "s1k9", 43, 1001),
      new ReadReply(7, 2),
      new RecallRequest(42, "s1k9", 7_000_000_001L),
      new RecallReply(7_000_000_001L, 9, 1002),
      new GroupReadRequest(42, 9, 310),
      new GroupRecallRequest(42, "s1k9", 9, 7_000_000_001L),
      new EditRequest(42, "s1k9", 9, 7_000_000_001L, "{\"text\":\"fixed\"}".getBytes(StandardCharsets.UTF_8)),
      new EditReply(7_000_000_001L, 9, 1003, 1_700_000_000_500L),
      new ReactRequest(42, "s1k9", 9, 7_000_000_001L, "\ud83d\udc4d", true),
      new ReactReply(7_000_000_001L, 9, 1004),
      new MessageVersionsRequest(9, 7_000_000_001L),
      new GroupCommand(GroupCommand.ADMIN, 42, 9, "crew", List.of(43L, 44L), 43, true, true, 5, 300, 50),
      new GroupCommandReply("{\"gid\":9,\"seq\":311}".getBytes(StandardCharsets.UTF_8)),
      new MembershipsRequest(42),
      new MembershipsReply(orderedMap(9L, 311L, 12L, 4L)),
      new ApiCallRequest(42, -8_123_456_789L, 1_700_000_000_000L, 1_700_000_900_000L, "203.0.113.7", "POST",
          "/api/v1/groups?x=1", "{\"name\":\"crew\"}".getBytes(StandardCharsets.UTF_8)),
      new ApiCallReply(201, "{\"gid\":9}".getBytes(StandardCharsets.UTF_8)),
      new GatewayStatsReport(2, "gw-1a2b", "wss://im.example/ws", "im.example:7000", true, 15_000, 120, 130, 100,
          20, 3, 4, 5, orderedMap("mobile", 70L, "web", 50L), orderedMap("lobby", 12L, "arena", 3L)),
      new ConversationsRequest(42, 43, 7_200_000_000_123L, 50),
      new ConversationsReply("{\"messages\":[],\"more\":false}".getBytes(StandardCharsets.UTF_8)),
      new HookEvent("message.sent", "{\"id\":\"message.sent:7\",\"type\":\"message.sent\",\"ts\":1,\"data\":{}}"
          .getBytes(StandardCharsets.UTF_8)),
      new Kick("mobile", "s1k9", 1_700_000_000_123L),
      new KickSession("s1k9", "s2x7", "session_limit"),
      new Revoke(-8_123_456_789L, 1_700_000_060_000L),
      new RevokeAll(1_700_000_000_000L, RevokeAll.BANNED),
      new GroupJoin(9, 311, frame("added")),
      new GroupLeave(9, 312, frame("removed")),
      new GroupDissolve(9, 313, frame("dissolved")),
      new RoomFlags(false, true),
      new PeerCheck(List.of(42L, 42L, 44L), List.of(43L, 45L, 42L), PeerCheck.EXISTS | PeerCheck.BLOCKED
          | PeerCheck.CONTACT | PeerCheck.GROUP_ADD),
      new PeerFacts(List.of(PeerCheck.EXISTS | PeerCheck.CONTACT, 0, PeerCheck.EXISTS | PeerCheck.BLOCKED),
          List.of(1, 0, 2)),
      new UserLookup("echo-bot"),
      new UserInfo(42, "echo-bot", "bot"),
      new IdentityRequest("https://id.example.com", "user-7", "Ada", null),
      new IdentityReply(42, true),
      new UserMessagesRequest(42, 7_000_000_001L, 500, true),
      new GroupRetention(9, 30),
      new SyncRequest(42, 1000, 100),
      new GroupSyncRequest(42, 7, 1000, 100),
      new SyncEntry(SyncEntry.MESSAGE, 123456789012345L, "c-1", 42, 43, 7, 1001, 1_700_000_000_000L, "text",
          "{\"text\":\"h\u00e9llo \u4e16\u754c\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), true, 44,
          "{\"kind\":\"renamed\",\"by\":42,\"name\":\"n\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          1_700_000_000_500L,
          "[{\"emoji\":\"\ud83d\udc4d\",\"count\":2,\"me\":true}]".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          "{\"mid\":\"5\",\"from\":43,\"type\":\"text\",\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8),
          "[43,44]".getBytes(StandardCharsets.UTF_8), true),
      new SyncPage(7, List.of(
          SyncEntry.message(5, "c-2", 42, 43, 1001, 1_700_000_000_000L, "text",
              "\"hi\"".getBytes(java.nio.charset.StandardCharsets.UTF_8), false),
          SyncEntry.recall(5, 42, 1002, 0),
          SyncEntry.event(7, 1003, 1_700_000_000_001L,
              "{\"kind\":\"left\",\"by\":43,\"member\":43}".getBytes(java.nio.charset.StandardCharsets.UTF_8))),
          true, 1500),
      new PresenceChange(42, true, 1_700_000_000_123L),
      new PresenceAudience(List.of(42L, 43L)),
      new RoomCount("gw-1a2b", 12, true),
      new SearchRequest(42, List.of("caf\u00e9", "au", "lait"), 43, 0, 7_200_000_000_123L, 20),
      new SearchReply(List.of(
          SyncEntry.message(7_100_000_000_001L, "c-3", 43, 42, 1201, 1_700_000_000_002L, "text",
              "\"caf\u00e9 au lait?\"".getBytes(java.nio.charset.StandardCharsets.UTF_8), false),
          SyncEntry.groupMessage(7_000_000_000_001L, "c-4", 44, 7, 310, 1_700_000_000_001L, "text",
              "{\"text\":\"Caf\u00e9 au lait\",\"w\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
              false)),
          7_000_000_000_001L)
  );

  private static byte[] frame(String kind) {
    return ("{\"op\":\"group.event\",\"gid\":9,\"kind\":\"" + kind + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  private static <K> Map<K, Long> orderedMap(Object... kv) {
    Map<K, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((K) kv[i], (Long) kv[i + 1]);
    }
    return m;
  }
}

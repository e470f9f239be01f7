package dev.switchboard.protocol.contract;

import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every contract type, by id. An id is never reused: a retired contract keeps its number here as a comment. Adding a
 * contract: a record with a {@code TYPE}, an entry in {@link #ALL}, a sample in {@code ContractSamples} (tests) and
 * its golden file (the test prints it when missing).
 */
public final class Contracts {
  /** Every registered type; ids unique (checked when this class loads). */
  public static final List<ContractType<?>> ALL = List.of(
      RecvRequest.TYPE,
      Ack.TYPE,
      SendRequest.TYPE,
      GroupSendRequest.TYPE,
      SendReply.TYPE,
      // 20-39: requests, replies and events between verticles
      ReadRequest.TYPE,
      ReadReply.TYPE,
      RecallRequest.TYPE,
      RecallReply.TYPE,
      GroupReadRequest.TYPE,
      GroupRecallRequest.TYPE,
      EditRequest.TYPE,
      EditReply.TYPE,
      ReactRequest.TYPE,
      ReactReply.TYPE,
      MessageVersionsRequest.TYPE,
      GroupCommand.TYPE,
      GroupCommandReply.TYPE,
      MembershipsRequest.TYPE,
      MembershipsReply.TYPE,
      ApiCallRequest.TYPE,
      ApiCallReply.TYPE,
      GatewayStatsReport.TYPE,
      ConversationsRequest.TYPE,
      ConversationsReply.TYPE,
      HookEvent.TYPE,
      // 40-59: control messages on user, group and room addresses
      Kick.TYPE,
      KickSession.TYPE,
      Revoke.TYPE,
      RevokeAll.TYPE,
      GroupJoin.TYPE,
      GroupLeave.TYPE,
      GroupDissolve.TYPE,
      RoomFlags.TYPE,
      // 60-79: asks for data another verticle owns (docs/architecture.md, "Data ownership")
      PeerCheck.TYPE,
      PeerFacts.TYPE,
      UserLookup.TYPE,
      UserInfo.TYPE,
      IdentityRequest.TYPE,
      IdentityReply.TYPE,
      UserMessagesRequest.TYPE,
      GroupRetention.TYPE,
      // 80-99: sync pages
      SyncRequest.TYPE,
      GroupSyncRequest.TYPE,
      SyncEntry.TYPE,
      SyncPage.TYPE,
      // 120-124: live presence and room counts
      PresenceChange.TYPE,
      PresenceAudience.TYPE,
      RoomCount.TYPE,
      // 130-139: message search (docs/architecture.md, "Search")
      SearchRequest.TYPE,
      SearchReply.TYPE
  );

  private static final Map<Integer, ContractType<?>> BY_ID = new HashMap<>();

  static {
    for (ContractType<?> t : ALL) {
      if (BY_ID.put(t.id(), t) != null) {
        throw new IllegalStateException("two contracts with id " + t.id());
      }
    }
  }

  private Contracts() {
  }

  /** {@code varint type id, varint version, fields}. */
  public static Buffer encode(Contract c) {
    Buffer out = Buffer.buffer(64);
    ContractWriter w = new ContractWriter(out);
    w.varint(c.type().id());
    w.varint(c.type().version());
    c.write(w);
    return out;
  }

  /** Decodes what {@link #encode} wrote, by any version of the type; fails on an unknown type id. */
  public static Contract decode(Buffer in) {
    ContractReader header = new ContractReader(in, 0, in.length());
    int id = (int) header.rawVarint();
    header.rawVarint(); // the sender's schema version: diagnostics only, decoding follows the field rules
    ContractType<?> type = BY_ID.get(id);
    if (type == null) {
      throw new IllegalArgumentException("unknown contract type id " + id);
    }
    return type.decode(header);
  }

  public static ContractType<?> byId(int id) {
    return BY_ID.get(id);
  }
}

package dev.switchboard.gateway.ops;

import dev.switchboard.gateway.config.OpLimitsConfig;
import dev.switchboard.gateway.session.Session;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.GroupSyncRequest;
import dev.switchboard.protocol.contract.SyncPage;
import dev.switchboard.protocol.contract.SyncRequest;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.JsonNumbers;
import dev.switchboard.protocol.frame.OpNames;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.protocol.frame.SyncFrames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sync {id, after, limit}} → {@code sync.batch {id, msgs, more, head}} (the user's inbox, from a router);
 * {@code sync {id, group, after, limit}} → the same for one group plus {@code group} (from the group verticle);
 * {@code sync {id, groups: {"<gid>": after}, limit}} → {@code sync.batch {id, groups: [page per group]}}. The reply is
 * an encoded frame ({@link SyncFrames}): stored bodies are spliced in as their text, no tree is built for the entries.
 * Charged one {@code sync} token per query (per group named).
 */
public record Sync(Asks asks, OpLimits limits) implements ClientOp {
  /** Default and largest page. */
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 500;

  @Override
  public String name() {
    return OpNames.SYNC;
  }

  @Override
  public Future<OutFrame> handle(Caller caller, Frame frame) {
    Session session = caller.session();
    long limit = frame.optNonNegativeLong("limit", DEFAULT_LIMIT);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'limit' must be 1 to " + MAX_LIMIT);
    }
    long after = frame.optNonNegativeLong("after", 0);
    OpLimitsConfig.Rate rate = limits.config().sync();
    if (frame.json().containsKey("groups")) {
      if (!(frame.json().getValue("groups") instanceof JsonObject groups) || groups.isEmpty()
          || groups.size() > OpLimitsConfig.MAX_SYNC_GROUPS) {
        throw new ImException(ErrorCode.INVALID_FIELD, "field 'groups' must map 1 to "
            + OpLimitsConfig.MAX_SYNC_GROUPS + " group ids to seqs");
      }
      List<GroupSyncRequest> requests = new ArrayList<>();
      for (String gid : groups.fieldNames()) {
        long id = parseGid(gid);
        Long n = JsonNumbers.exactLong(groups.getValue(gid));
        if (n == null || n < 0) {
          throw new ImException(ErrorCode.INVALID_FIELD, "field 'groups' must map group ids to seqs >= 0");
        }
        requests.add(new GroupSyncRequest(session.uid(), id, n, (int) limit));
      }
      // One token per group: the frame costs as many queries as it names groups.
      return limits.charge(session, "sync", rate, requests.size()).compose(charged -> groups(frame, requests));
    }
    if (frame.json().containsKey("group")) {
      GroupSyncRequest request = new GroupSyncRequest(session.uid(), frame.requirePositiveLong("group"), after,
          (int) limit);
      return limits.charge(session, "sync", rate, 1).compose(v -> asks.<SyncPage>ask(Addresses.GROUP_SYNC, request))
          .map(page -> SyncFrames.batch(frame.id(), page));
    }
    SyncRequest request = new SyncRequest(session.uid(), after, (int) limit);
    return limits.charge(session, "sync", rate, 1).compose(v -> asks.<SyncPage>ask(Addresses.ROUTER_SYNC, request))
        .map(page -> SyncFrames.batch(frame.id(), page));
  }

  /** Every group's page, each one a page or that group's error: one group failing does not fail the others. */
  private Future<OutFrame> groups(Frame frame, List<GroupSyncRequest> requests) {
    List<Future<SyncPage>> pages = new ArrayList<>();
    for (GroupSyncRequest request : requests) {
      pages.add(asks.ask(Addresses.GROUP_SYNC, request));
    }
    return Future.join(pages).recover(t -> Future.succeededFuture()).map(v -> {
      List<SyncFrames.GroupResult> out = new ArrayList<>(pages.size());
      for (int i = 0; i < pages.size(); i++) {
        Future<SyncPage> p = pages.get(i);
        long gid = requests.get(i).group();
        if (p.succeeded()) {
          out.add(SyncFrames.GroupResult.of(gid, p.result()));
        } else {
          ImException e = ImException.of(p.cause());
          out.add(SyncFrames.GroupResult.failed(gid, e.code().wire(), e.getMessage()));
        }
      }
      return SyncFrames.batchGroups(frame.id(), out);
    });
  }

  private static long parseGid(String gid) {
    try {
      long id = Long.parseLong(gid);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ImException(ErrorCode.INVALID_FIELD, "field 'groups' has a key that is not a group id: " + gid);
  }
}

package dev.switchboard.protocol.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code im.router.search} and {@code im.group.search} request: the messages user {@code uid} can read whose
 * searchable text holds every one of {@code terms} at the start of a word, newest first (by mid), with mid below
 * {@code before} (0: no bound), at most {@code limit}. Terms come from the API's parsing of the query (lower-case,
 * letters and digits only). {@code peer} (router only): just the conversation with that user (0: every one);
 * {@code group} (group verticle only): just that group (0: every group the user is in now). Reply:
 * {@link SearchReply}; the group verticle fails {@code not_member} for a {@code group} the user is not in.
 */
public record SearchRequest(long uid, List<String> terms, long peer, long group, long before, int limit)
    implements Contract {
  public static final ContractType<SearchRequest> TYPE =
      new ContractType<>(130, "SearchRequest", 1, SearchRequest.class, SearchRequest::decode);

  public SearchRequest {
    terms = List.copyOf(terms);
  }

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, uid).putStrings(2, terms).putLong(3, peer).putLong(4, group).putLong(5, before).putInt(6, limit);
  }

  static SearchRequest decode(ContractReader r) {
    long uid = 0;
    List<String> terms = new ArrayList<>();
    long peer = 0;
    long group = 0;
    long before = 0;
    int limit = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> uid = r.readLong();
        case 2 -> terms.add(r.readString());
        case 3 -> peer = r.readLong();
        case 4 -> group = r.readLong();
        case 5 -> before = r.readLong();
        case 6 -> limit = r.readInt();
        default -> r.skip();
      }
    }
    return new SearchRequest(uid, terms, peer, group, before, limit);
  }
}

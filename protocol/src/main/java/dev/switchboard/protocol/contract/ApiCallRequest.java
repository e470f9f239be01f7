package dev.switchboard.protocol.contract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code im.api.call} request: a session's {@code api {method, path, body?}} forwarded by its gateway, with who the
 * session is ({@code uid}, its token's id hash, issue and expiry times) and its client's {@code address}.
 * {@code body} is the JSON encoding of the frame's {@code body} (null: none). Reply: {@link ApiCallReply}. The array is
 * never modified.
 */
public record ApiCallRequest(long uid, long tokenHash, long issuedAt, long expiresAt, String address, String method,
                             String path, byte[] body) implements Contract {
  public static final ContractType<ApiCallRequest> TYPE =
      new ContractType<>(30, "ApiCallRequest", 1, ApiCallRequest.class, ApiCallRequest::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, uid).putLong(2, tokenHash).putLong(3, issuedAt).putLong(4, expiresAt).putString(5, address)
        .putString(6, method).putString(7, path).putBytes(8, body);
  }

  static ApiCallRequest decode(ContractReader r) {
    long uid = 0;
    long tokenHash = 0;
    long issuedAt = 0;
    long expiresAt = 0;
    String address = null;
    String method = null;
    String path = null;
    byte[] body = null;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> uid = r.readLong();
        case 2 -> tokenHash = r.readLong();
        case 3 -> issuedAt = r.readLong();
        case 4 -> expiresAt = r.readLong();
        case 5 -> address = r.readString();
        case 6 -> method = r.readString();
        case 7 -> path = r.readString();
        case 8 -> body = r.readBytes();
        default -> r.skip();
      }
    }
    return new ApiCallRequest(uid, tokenHash, issuedAt, expiresAt, address, method, path, body);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiCallRequest a && uid == a.uid && tokenHash == a.tokenHash && issuedAt == a.issuedAt
        && expiresAt == a.expiresAt && Objects.equals(address, a.address) && Objects.equals(method, a.method)
        && Objects.equals(path, a.path) && Arrays.equals(body, a.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(uid, tokenHash, issuedAt, expiresAt, address, method, path) * 31 + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "ApiCallRequest[uid=" + uid + ", method=" + method + ", path=" + path + ", body="
        + (body == null ? null : new String(body, StandardCharsets.UTF_8)) + "]";
  }
}

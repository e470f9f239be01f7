package dev.switchboard.protocol.contract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reply of {@code im.api.call}: the HTTP response's {@code status} and body bytes as the API sent them (null: empty).
 * The array is never modified.
 */
public record ApiCallReply(int status, byte[] body) implements Contract {
  public static final ContractType<ApiCallReply> TYPE =
      new ContractType<>(31, "ApiCallReply", 1, ApiCallReply.class, ApiCallReply::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putInt(1, status).putBytes(2, body);
  }

  static ApiCallReply decode(ContractReader r) {
    int status = 0;
    byte[] body = null;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> status = r.readInt();
        case 2 -> body = r.readBytes();
        default -> r.skip();
      }
    }
    return new ApiCallReply(status, body);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiCallReply a && status == a.status && Arrays.equals(body, a.body);
  }

  @Override
  public int hashCode() {
    return status * 31 + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "ApiCallReply[status=" + status + ", body="
        + (body == null ? null : new String(body, StandardCharsets.UTF_8)) + "]";
  }
}

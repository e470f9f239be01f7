package dev.switchboard.shared.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignatureTest {
  private static final String SECRET = "0123456789abcdef-secret";
  private static final byte[] BODY = "{\"events\":[]}".getBytes(StandardCharsets.UTF_8);

  @Test
  void theHeaderIsTheDocumentedHmacOfTimestampDotBody() {
    // Computed independently: printf '1700000000.{"events":[]}' | openssl dgst -sha256 -hmac 0123456789abcdef-secret
    assertEquals("t=1700000000,v1=3ffe8fa549a8cc210586c77c404ce1fd79db1372c85551ff148f191f58e002d7",
        Signature.header(SECRET, 1_700_000_000L, BODY));
  }

  @Test
  void aReceiverAcceptsItsOwnSignatureWithinTheTolerance() {
    String header = Signature.header(SECRET, 1_700_000_000L, BODY);
    assertTrue(Signature.verify(SECRET, header, BODY, 1_700_000_000L, 300));
    assertTrue(Signature.verify(SECRET, header, BODY, 1_700_000_300L, 300));
  }

  @Test
  void aReceiverRejectsAnotherSecretAnotherBodyAnOldTimestampOrGarbage() {
    String header = Signature.header(SECRET, 1_700_000_000L, BODY);
    assertFalse(Signature.verify("another-secret-0123", header, BODY, 1_700_000_000L, 300));
    assertFalse(Signature.verify(SECRET, header, "{\"events\":[1]}".getBytes(StandardCharsets.UTF_8),
        1_700_000_000L, 300));
    assertFalse(Signature.verify(SECRET, header, BODY, 1_700_000_301L, 300), "older than the tolerance");
    assertFalse(Signature.verify(SECRET, header.replace("t=1700000000", "t=1700000001"), BODY, 1_700_000_000L, 300),
        "the timestamp is signed");
    assertFalse(Signature.verify(SECRET, null, BODY, 1_700_000_000L, 300));
    assertFalse(Signature.verify(SECRET, "t=x,v1=zz", BODY, 1_700_000_000L, 300));
    assertFalse(Signature.verify(SECRET, "t=1700000000,v1=zz", BODY, 1_700_000_000L, 300));
    assertFalse(Signature.verify(SECRET, "t=1700000000", BODY, 1_700_000_000L, 300));
  }
}

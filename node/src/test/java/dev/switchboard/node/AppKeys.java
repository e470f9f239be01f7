package dev.switchboard.node;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * A signing key of an app's identity provider, for tests: RS256, ES256 or EdDSA (Ed25519), its public JWK and PEM,
 * and JWTs signed with it, made with the JDK alone (as an app's backend would with any JWT library).
 */
final class AppKeys {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  final String alg;
  final String kid;
  private final KeyPair pair;

  AppKeys(String alg, String kid) throws Exception {
    this.alg = alg;
    this.kid = kid;
    KeyPairGenerator gen;
    switch (alg) {
      case "RS256" -> {
        gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
      }
      case "ES256" -> {
        gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
      }
      case "EdDSA" -> gen = KeyPairGenerator.getInstance("Ed25519");
      default -> throw new IllegalArgumentException(alg);
    }
    this.pair = gen.generateKeyPair();
  }

  /** The public key as a JWK with this key's {@code kid} and {@code alg}. */
  JsonObject jwk() {
    JsonObject j = new JsonObject().put("kid", kid).put("alg", alg).put("use", "sig");
    if (pair.getPublic() instanceof RSAPublicKey rsa) {
      return j.put("kty", "RSA").put("n", unsigned(rsa.getModulus(), 0)).put("e", unsigned(rsa.getPublicExponent(), 0));
    }
    if (pair.getPublic() instanceof ECPublicKey ec) {
      return j.put("kty", "EC").put("crv", "P-256").put("x", unsigned(ec.getW().getAffineX(), 32))
          .put("y", unsigned(ec.getW().getAffineY(), 32));
    }
    byte[] spki = pair.getPublic().getEncoded();
    return j.put("kty", "OKP").put("crv", "Ed25519").put("x", B64.encodeToString(Arrays.copyOfRange(spki,
        spki.length - 32, spki.length)));
  }

  /** The public key in PEM ({@code -----BEGIN PUBLIC KEY-----}). */
  String pem() {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  }

  /** A JWT of {@code claims} signed with this key, its header naming {@code kid} (none when null). */
  String sign(JsonObject claims, String kid) throws Exception {
    JsonObject header = new JsonObject().put("alg", alg).put("typ", "JWT");
    if (kid != null) {
      header.put("kid", kid);
    }
    String input = B64.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
        + B64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    Signature s = Signature.getInstance(switch (alg) {
      case "RS256" -> "SHA256withRSA";
      case "ES256" -> "SHA256withECDSAinP1363Format";
      default -> "Ed25519";
    });
    s.initSign(pair.getPrivate());
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + B64.encodeToString(s.sign());
  }

  String sign(JsonObject claims) throws Exception {
    return sign(claims, kid);
  }

  /** Standard claims: {@code iss}, {@code aud}, {@code sub}, {@code iat}, {@code exp} (in {@code ttl} seconds). */
  static JsonObject claims(String iss, String aud, String sub, long ttl) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("iss", iss).put("aud", aud).put("sub", sub).put("iat", now).put("exp", now + ttl);
  }

  private static String unsigned(BigInteger v, int length) {
    byte[] b = v.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      b = Arrays.copyOfRange(b, 1, b.length);
    }
    if (length > b.length) {
      byte[] padded = new byte[length];
      System.arraycopy(b, 0, padded, length - b.length, b.length);
      b = padded;
    }
    return B64.encodeToString(b);
  }
}

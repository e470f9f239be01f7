package dev.switchboard.shared.auth;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.shared.config.AppTokensConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Verifies tokens signed by the app's own backend ({@link AppTokensConfig}): the algorithm must be one the config
 * accepts, the key one of the static keys or of the JWKS last fetched, the issuer and audience the configured ones, and
 * {@code exp} present and not passed. The JWKS is fetched on first use, again every {@code jwksRefreshSeconds} (in the
 * background: tokens are verified with the keys at hand meanwhile), and at once for a token whose {@code kid} is not
 * in it (at most once per {@code jwksMinRefreshSeconds}), so a key the app rotates in works at once and one it
 * removes stops working within the refresh interval. Fetches are shared by every caller; a failed fetch keeps the
 * keys at hand.
 *
 * <p>Thread-safe: one instance serves every verticle of a node; futures complete on the caller's context or on the
 * HTTP client's.
 */
public final class AppTokens {
  private static final Logger LOG = Logger.getLogger(AppTokens.class.getName());
  private static final Base64.Decoder B64 = Base64.getUrlDecoder();
  private static final int MAX_USER_ID = 128;

  /** The claims of a verified app token Switchboard uses. {@code jti} stands in for a token id when absent. */
  public record Claims(String externalId, String name, String avatar, String jti, long issuedAt, long expiresAt) {
  }

  /** The verifier over one set of keys, and their ids. */
  private record Keys(JWTAuth auth, Set<String> kids, long fetchedAt) {
  }

  private final Vertx vertx;
  private final AppTokensConfig config;
  private final HttpClient http;
  private volatile Keys keys;
  private Future<Keys> fetching;
  private long lastFetchStarted;

  public AppTokens(Vertx vertx, AppTokensConfig config) {
    this.vertx = vertx;
    this.config = config;
    if (config.jwksUrl() == null) {
      this.http = null;
      this.keys = build(config.keys(), 0);
    } else {
      this.http = vertx.createHttpClient();
    }
  }

  /** The issuer whose tokens this verifies. */
  public String issuer() {
    return config.issuer();
  }

  /** The {@code iss} claim of a token, read without verifying it (to pick the verifier); null when unreadable. */
  public static String unverifiedIssuer(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (second < 0) {
      return null;
    }
    try {
      return new JsonObject(Buffer.buffer(B64.decode(token.substring(first + 1, second)))).getString("iss");
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The claims of a valid app token; fails with {@code auth_failed} (the message says why) for anything else. */
  public Future<Claims> verify(String token) {
    JsonObject header;
    try {
      header = new JsonObject(Buffer.buffer(B64.decode(token.substring(0, token.indexOf('.')))));
    } catch (RuntimeException e) {
      return failed("app token header unreadable");
    }
    Object alg = header.getValue("alg");
    if (!(alg instanceof String name) || !config.algorithms().contains(name)) {
      return failed("app token algorithm " + alg + " not accepted (auth.external.algorithms: "
          + config.algorithms() + ")");
    }
    String kid = header.getValue("kid") instanceof String k ? k : null;
    return keysFor(kid).compose(k -> {
      if (k.kids().isEmpty()) {
        return failed("no key to verify app tokens with (the JWKS could not be fetched)");
      }
      if (kid != null && !k.kids().contains(kid) && http != null) {
        return failed("app token signed with an unknown key '" + kid + "'");
      }
      return k.auth().authenticate(new TokenCredentials(token))
          .recover(t -> failed("app token invalid, expired or not for this audience"))
          .compose(user -> claims(user.attributes().getJsonObject("accessToken", user.principal()), token));
    });
  }

  private Future<Claims> claims(JsonObject p, String token) {
    Object id = p.getValue(config.claims().userId());
    String externalId = id instanceof String s ? s : id instanceof Number n ? n.toString() : null;
    if (externalId == null || externalId.isEmpty() || externalId.length() > MAX_USER_ID
        || externalId.chars().anyMatch(c -> c < 0x20)) {
      return failed("app token has no usable '" + config.claims().userId() + "' claim (1-128 printable characters)");
    }
    if (!(p.getValue("exp") instanceof Number exp)) {
      return failed("app token has no 'exp' claim");
    }
    String jti = p.getValue("jti") instanceof String j && !j.isEmpty() ? j
        : "sig:" + token.substring(token.lastIndexOf('.') + 1);
    long issuedAt = p.getValue("iat") instanceof Number iat ? iat.longValue() * 1000 : 0;
    return Future.succeededFuture(new Claims(externalId, text(p, config.claims().name(), 64),
        text(p, config.claims().avatar(), 512), jti, issuedAt, exp.longValue() * 1000));
  }

  private static String text(JsonObject p, String claim, int max) {
    Object v = p.getValue(claim);
    return v instanceof String s && !s.isBlank() ? (s.length() > max ? s.substring(0, max) : s) : null;
  }

  /** The keys to verify a token with key id {@code kid} (null when it names none). */
  private Future<Keys> keysFor(String kid) {
    Keys k = keys;
    if (http == null) {
      return Future.succeededFuture(k);
    }
    long now = System.currentTimeMillis();
    if (k == null || kid != null && !k.kids().contains(kid)) {
      Future<Keys> fetched = fetch(now, k == null);
      return fetched.recover(t -> k == null ? Future.succeededFuture(build(List.of(), now))
          : Future.succeededFuture(k));
    }
    if (now - k.fetchedAt() >= config.jwksRefreshSeconds() * 1000) {
      fetch(now, true);
    }
    return Future.succeededFuture(k);
  }

  /**
   * The JWKS fetched once more, or the fetch under way; {@code due} says a fetch is due whatever the last one was,
   * otherwise one is started only when {@code jwksMinRefreshSeconds} passed since the last (else the keys at hand).
   */
  private synchronized Future<Keys> fetch(long now, boolean due) {
    if (fetching != null) {
      return fetching;
    }
    if (!due && now - lastFetchStarted < config.jwksMinRefreshSeconds() * 1000 && keys != null) {
      return Future.succeededFuture(keys);
    }
    lastFetchStarted = now;
    Promise<Keys> promise = Promise.promise();
    fetching = promise.future();
    http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(config.jwksUrl())
            .setTimeout(config.fetchTimeoutMs()).putHeader("accept", "application/json"))
        .compose(req -> req.send().compose(resp -> resp.statusCode() == 200 ? resp.body()
            : Future.failedFuture("JWKS answered HTTP " + resp.statusCode())))
        .map(body -> {
          JsonArray list = body.toJsonObject().getJsonArray("keys");
          if (list == null) {
            throw new IllegalStateException("JWKS has no 'keys' array");
          }
          List<JsonObject> jwks = list.stream().filter(o -> o instanceof JsonObject j && !"enc".equals(j.getString(
              "use"))).map(o -> (JsonObject) o).toList();
          return build(jwks, System.currentTimeMillis());
        })
        .onComplete(ar -> {
          synchronized (this) {
            fetching = null;
            if (ar.succeeded()) {
              keys = ar.result();
            } else {
              LOG.warning("auth.external: fetching " + config.jwksUrl() + " failed, keeping the keys at hand: "
                  + ar.cause().getMessage());
            }
          }
          promise.handle(ar);
        });
    return promise.future();
  }

  /**
   * A verifier over {@code jwks} (JWKs or {@code {alg, pem, kid?}} objects); keys it cannot read are left out:
   * vertx-auth-jwt leaves out (and logs) a JWK it cannot read, but fails on a PEM key it cannot read, so each PEM key
   * is tried alone first.
   */
  private Keys build(List<JsonObject> jwks, long fetchedAt) {
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions().setIssuer(config.issuer())
        .setAudience(config.audiences().isEmpty() ? null : config.audiences()).setLeeway(config.leewaySeconds()));
    Set<String> kids = new HashSet<>();
    for (JsonObject key : jwks) {
      if (key.containsKey("pem")) {
        try {
          JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(pem(key)));
        } catch (RuntimeException e) {
          LOG.warning("auth.external: key " + key.getString("kid", "(no kid)") + " left out: " + e.getMessage());
          continue;
        }
        options.addPubSecKey(pem(key));
      } else {
        options.addJwk(key);
      }
      kids.add(key.getString("kid", "#" + kids.size()));
    }
    return new Keys(kids.isEmpty() ? null : JWTAuth.create(vertx, options), Set.copyOf(kids), fetchedAt);
  }

  private static PubSecKeyOptions pem(JsonObject key) {
    return new PubSecKeyOptions().setAlgorithm(key.getString("alg")).setBuffer(key.getString("pem"))
        .setId(key.getString("kid"));
  }

  private static <T> Future<T> failed(String why) {
    return Future.failedFuture(new ImException(ErrorCode.AUTH_FAILED, why));
  }
}

package dev.switchboard.api.store;

import io.vertx.core.Future;

/**
 * Users of the app's own identity provider: the app's id for a user ({@code externalId}, in the tokens of
 * {@code issuer}) and the Switchboard user made for them. The API's own table {@code external_identities}.
 * Every future completes on the caller's context; a database failure fails it with the driver's exception.
 */
public interface IdentityStore {
  /** The uid mapped to the app's user, and whether it was made by this call. */
  record Resolved(long uid, boolean created) {
  }

  /**
   * The uid of the app's user, made on first use (a user of kind {@code user} with no password, nickname
   * {@code name} and avatar {@code avatar}, either may be null) in one transaction with its mapping; concurrent first
   * uses agree on one uid.
   */
  Future<Resolved> resolve(String issuer, String externalId, String name, String avatar);

  /** The app's id for {@code uid} ({@code [issuer, externalId]}), or null when it is not an app user. */
  Future<String[]> externalId(long uid);

  /** Removes the mapping of {@code uid} (a deleted user); the app's id gets a new user on its next use. */
  Future<Void> forget(long uid);
}

package dev.switchboard.api.users;

import dev.switchboard.api.store.UserStore.Profile;
import io.vertx.core.json.JsonObject;

/** A profile as the API answers it (openapi.json, {@code Profile}); absent nickname or avatar are JSON nulls. */
public final class Profiles {
  private Profiles() {
  }

  /** {@code {uid, username, nickname, avatar, kind, createdAt}}: one user's page ({@code GET /api/v1/users/..}). */
  public static JsonObject full(Profile p) {
    return card(p).put("createdAt", p.createdAt());
  }

  /** {@code {uid, username, nickname, avatar, kind}}: a user in a list (search results, contacts, requests). */
  public static JsonObject card(Profile p) {
    return new JsonObject().put("uid", p.uid()).put("username", p.username())
        .put("nickname", p.nickname()).put("avatar", p.avatar()).put("kind", p.kind());
  }
}

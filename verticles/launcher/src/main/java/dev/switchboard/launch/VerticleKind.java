package dev.switchboard.launch;

import dev.switchboard.shared.store.Schema;
import io.vertx.core.VerticleBase;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the launcher needs to know of a verticle it can deploy: how to make an instance, and the tables it owns (whose
 * migrations the launcher applies before deploying it), if any.
 */
public record VerticleKind(Supplier<VerticleBase> factory, Optional<Schema> schema) {
  /** A verticle that owns tables: {@code schema}'s migrations run before it deploys. */
  public static VerticleKind owning(Schema schema, Supplier<VerticleBase> factory) {
    return new VerticleKind(factory, Optional.of(schema));
  }

  /** A verticle that owns no table. */
  public static VerticleKind tableless(Supplier<VerticleBase> factory) {
    return new VerticleKind(factory, Optional.empty());
  }
}

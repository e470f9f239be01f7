package dev.switchboard.launch;

import dev.switchboard.launch.Services.Need;
import dev.switchboard.shared.store.Schema;
import io.vertx.core.VerticleBase;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What the launcher needs to know of a verticle it can deploy: how to make an instance from the process's
 * {@link Services}, the tables it owns (whose migrations the launcher applies before deploying it), if any, and the
 * services it needs. The launcher builds the union of the deployed verticles' needs and nothing else, and its
 * readiness checks ({@code /ready}) follow the same declarations.
 */
public record VerticleKind(Function<Services, VerticleBase> factory, Optional<Schema> schema, Set<Need> needs) {
  public VerticleKind {
    EnumSet<Need> all = needs.isEmpty() ? EnumSet.noneOf(Need.class) : EnumSet.copyOf(needs);
    if (schema.isPresent()) {
      all.add(Need.POOL);
    }
    if (all.contains(Need.TOKENS) || all.contains(Need.IDS)) {
      all.add(Need.STATE);
    }
    needs = Set.copyOf(all);
  }

  /** A verticle that owns tables: {@code schema}'s migrations run before it deploys; it gets the pool. */
  public static VerticleKind owning(Schema schema, Function<Services, VerticleBase> factory, Need... needs) {
    return new VerticleKind(factory, Optional.of(schema), Set.of(needs));
  }

  /** A verticle that owns no table. */
  public static VerticleKind tableless(Function<Services, VerticleBase> factory, Need... needs) {
    return new VerticleKind(factory, Optional.empty(), Set.of(needs));
  }

  /** Every service {@code kinds} need together. */
  public static Set<Need> needs(Collection<VerticleKind> kinds) {
    EnumSet<Need> all = EnumSet.noneOf(Need.class);
    kinds.forEach(kind -> all.addAll(kind.needs()));
    return all;
  }
}

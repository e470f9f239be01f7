package dev.switchboard.shared.store;

/**
 * The tables one verticle owns, as the verticle declares them (e.g. {@code RouterVerticle.SCHEMA}). Every process that
 * deploys the verticle applies its migrations at start, before deploying it (the launcher's {@code SchemaMigrations}),
 * and no other verticle's code names these tables.
 *
 * <p>The migrations are Flyway SQL files on the classpath, shipped in the verticle's module: {@code
 * db/<owner>/common/V<n>__<what>.sql} for every database, and {@code db/<owner>/<vendor>/V<n>__<what>.sql}
 * ({@code mysql}, {@code mariadb}, {@code h2}) for a step whose SQL differs by vendor; each version is in exactly one
 * of the two, and a vendor step has a file for every vendor. Flyway records them in the owner's own history table,
 * {@code flyway_<owner>_history}.
 */
public record Schema(String owner) {
  public Schema {
    if (owner == null || !owner.matches("[a-z][a-z0-9]{0,30}")) {
      throw new IllegalArgumentException("a schema owner is a lower-case verticle name, not '" + owner + "'");
    }
  }

  /** Flyway's history table for this owner's migrations. */
  public String historyTable() {
    return "flyway_" + owner + "_history";
  }

  /** The classpath folder of the migrations every database runs. */
  public String commonLocation() {
    return "db/" + owner + "/common";
  }

  /** The classpath folder of the migrations only {@code vendor} ({@code mysql}, {@code mariadb}, {@code h2}) runs. */
  public String vendorLocation(String vendor) {
    return "db/" + owner + "/" + vendor;
  }
}

package dev.switchboard.router;

import dev.switchboard.shared.config.RetentionConfig;
import dev.switchboard.shared.config.SendRateConfig;
import io.vertx.core.json.JsonObject;

/**
 * The one-to-one router.
 *
 * @param maxBodyBytes    largest message body (its JSON encoding)
 * @param sendRate        sends per second a user may make, across every node: the launcher hands it to the gateway
 *                        and bridge of the same node, which enforce it ({@link SendRateConfig})
 * @param sendBurst       sends a user may make at once before the rate applies (the same)
 * @param recallWindowMs  how long after sending the sender may recall a message
 * @param maxBatch        most messages written in one database transaction
 * @param flushDelayMs    longest a message waits for its batch to fill before it is written
 * @param maxPending      most messages an instance holds waiting to be written; past it sends fail {@code unavailable}
 * @param syncPageMax     largest {@code sync} page
 * @param askTimeoutMs    longest a batch of sends waits for the API's answer on who may message whom
 *                        ({@code im.api.peers}); past it, or with no API deployed, its sends fail {@code unavailable}
 * @param retention       how long one-to-one messages are kept ({@code retention}; default: forever)
 * <p>{@code contactsOnly}: one-to-one messages only between contacts, whoever sends them (a user, a bot through the
 * bridge, a persisted push); the launcher hands it to the group verticle too, where a non-contact's add becomes an
 * invitation.
 */
public record RouterConfig(int maxBodyBytes, double sendRate, int sendBurst, long recallWindowMs, int maxBatch,
                           long flushDelayMs, int maxPending, int syncPageMax, boolean contactsOnly,
                           long askTimeoutMs, RetentionConfig retention) {
  public static RouterConfig from(JsonObject j) {
    return new RouterConfig(j.getInteger("maxBodyBytes", 16 * 1024), j.getDouble("sendRate", 50.0),
        j.getInteger("sendBurst", 100), j.getLong("recallWindowMs", 120_000L), j.getInteger("maxBatch", 256),
        j.getLong("flushDelayMs", 2L), j.getInteger("maxPending", 10_000), j.getInteger("syncPageMax", 500),
        j.getBoolean("contactsOnly", false), j.getLong("askTimeoutMs", 5_000L),
        RetentionConfig.from(j.getJsonObject("retention")));
  }
}

package dev.switchboard.gateway.ops;

/**
 * An authenticated session as ops see it.
 *
 * @param uid    the user
 * @param device the device kind the client declared ({@code web}, {@code mobile}, ...)
 * @param id     unique id of this session (echoed in {@code auth.ok})
 * @param since  epoch ms when the session came online
 */
public record Session(long uid, String device, String id, long since) {
}

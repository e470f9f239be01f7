package dev.switchboard.router.sending;

/**
 * The outcome of writing one send: the message as stored (for a duplicate {@code cid}, the original message, with
 * {@code duplicate} set and nothing to deliver again).
 */
record Stored(long mid, long ts, long senderSeq, long recipientSeq, boolean duplicate) {
}

package dev.switchboard.router;

import dev.switchboard.shared.Addresses;
import dev.switchboard.shared.BusHeaders;
import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.ImException;
import dev.switchboard.shared.config.RouterConfig;
import dev.switchboard.shared.frame.OutFrame;
import dev.switchboard.shared.frame.Utf8;
import dev.switchboard.shared.ids.MidGenerator;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * One-to-one sends: {@code {from, session, cid, to, type, body}} → a {@code msg} frame published to every device of
 * the recipient and to the sender's other devices → reply {@code {mid, ts}} ({@code mid} as a decimal string).
 *
 * <p>Failures reply with {@code "code: message"} (see {@link ImException#toReplyMessage()}).
 */
final class OneToOne {
  private final EventBus bus;
  private final MidGenerator mids;
  private final RouterConfig config;

  OneToOne(EventBus bus, MidGenerator mids, RouterConfig config) {
    this.bus = bus;
    this.mids = mids;
    this.config = config;
  }

  void send(Message<JsonObject> request) {
    JsonObject r = request.body();
    long from = r.getLong("from");
    long to = r.getLong("to");
    Object body = r.getValue("body");
    if (encodedSize(body) > config.maxBodyBytes()) {
      ImException e = new ImException(ErrorCode.BODY_TOO_LARGE, "body larger than " + config.maxBodyBytes()
          + " bytes");
      request.fail(e.code().httpStatus(), e.toReplyMessage());
      return;
    }
    long mid = mids.next();
    long ts = MidGenerator.timestampOf(mid);
    // On the wire a mid is a decimal string: it exceeds 2^53, past which JavaScript numbers lose digits.
    String midText = Long.toString(mid);
    // Encoded once; every device of both users receives these same bytes.
    OutFrame frame = OutFrame.of(new JsonObject().put("op", "msg").put("mid", midText).put("cid", r.getString("cid"))
        .put("from", from).put("to", to).put("ts", ts).put("type", r.getString("type")).put("body", body));
    DeliveryOptions notToSendingDevice = new DeliveryOptions().addHeader(BusHeaders.SKIP, r.getString("session"));
    if (from != to) {
      bus.publish(Addresses.user(to), frame);
    }
    bus.publish(Addresses.user(from), frame, notToSendingDevice);
    request.reply(new JsonObject().put("mid", midText).put("ts", ts));
  }

  private static int encodedSize(Object body) {
    return body instanceof String s ? Utf8.length(s) : Json.encodeToBuffer(body).length();
  }
}

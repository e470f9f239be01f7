package dev.switchboard.jmh;

import dev.switchboard.protocol.frame.proto.ProtoCodec;
import io.vertx.core.json.JsonObject;

/**
 * Prints the encoded size of each sample frame in JSON and in protobuf:
 * {@code java -cp target/switchboard-jmh.jar dev.switchboard.jmh.FrameSizes}.
 */
public final class FrameSizes {
  private FrameSizes() {
  }

  public static void main(String[] args) {
    System.out.printf("%-10s %10s %10s %8s%n", "frame", "json B", "proto B", "ratio");
    for (String name : new String[] {SampleFrames.MSG_SEND, SampleFrames.MSG, SampleFrames.ROOM_MSGS}) {
      JsonObject frame = SampleFrames.of(name);
      int json = frame.toBuffer().length();
      int proto = ProtoCodec.encode(frame).length;
      System.out.printf("%-10s %10d %10d %8.2f%n", name, json, proto, (double) proto / json);
    }
    JsonObject body = SampleFrames.msg().getJsonObject("body");
    System.out.printf("(the msg body alone: %d bytes of JSON)%n", body.toBuffer().length());
  }
}

package dev.switchboard.jmh;

import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.protocol.frame.proto.Frame;
import dev.switchboard.protocol.frame.proto.ProtoCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one frame through each codec, per frame kind ({@link SampleFrames}):
 * <ul>
 *   <li>{@code json*}: what the server does today. Encode is {@link OutFrame#of} (JsonObject → UTF-8 bytes, once
 *   per fanned-out frame); decode is the shared {@code Frame.parse(Buffer)} of every inbound frame.</li>
 *   <li>{@code proto*}: {@link ProtoCodec}, the same two steps with protobuf bytes on the wire and the same
 *   JsonObject in the server.</li>
 *   <li>{@code generated*}: what a protobuf client pays with the generated classes ({@code Frame.parseFrom},
 *   {@code toByteArray} of a built message).</li>
 * </ul>
 * Run: {@code java -jar target/switchboard-jmh.jar FrameCodecBench}; sizes: {@link FrameSizes}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FrameCodecBench {
  @Param({SampleFrames.MSG_SEND, SampleFrames.MSG, SampleFrames.ROOM_MSGS})
  public String frame;

  private JsonObject json;
  private Buffer jsonBuffer;
  private byte[] protoBytes;
  private Frame parsed;

  @Setup
  public void setUp() throws Exception {
    json = SampleFrames.of(frame);
    jsonBuffer = Buffer.buffer(json.toBuffer().getBytes());
    protoBytes = ProtoCodec.encode(json);
    parsed = Frame.parseFrom(protoBytes);
    if (!ProtoCodec.decode(protoBytes).equals(json)) {
      throw new IllegalStateException("the codec does not round-trip " + frame);
    }
  }

  @Benchmark
  public byte[] jsonEncode() {
    return OutFrame.of(json).jsonBytes();
  }

  @Benchmark
  public Object jsonDecode() {
    return dev.switchboard.protocol.frame.Frame.parse(jsonBuffer);
  }

  @Benchmark
  public byte[] protoEncode() {
    return ProtoCodec.encode(json);
  }

  @Benchmark
  public JsonObject protoDecode() {
    return ProtoCodec.decode(protoBytes);
  }

  @Benchmark
  public Frame generatedParse() throws Exception {
    return Frame.parseFrom(protoBytes);
  }

  @Benchmark
  public byte[] generatedSerialize() {
    return parsed.toByteArray();
  }
}

package dev.switchboard.jmh;

import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import dev.switchboard.protocol.frame.Frames;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.protocol.frame.SyncFrames;
import dev.switchboard.protocol.frame.proto.FrameProto;
import dev.switchboard.protocol.frame.proto.ProtoCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A {@code sync.batch} of 100 stored messages (each body ~120 bytes of JSON text, as the database returns it):
 * <ul>
 *   <li>{@code treePage}: the old path: each stored body decoded ({@code MessageJson.decodeBody}), a JsonObject per
 *   message, the page merged into the reply frame and encoded once ({@code OutFrame.of}).</li>
 *   <li>{@code splicedPage}: the new path: the stored text's bytes into {@link SyncEntry}s, the frame written by
 *   {@link SyncFrames#batch} with each body spliced in.</li>
 *   <li>{@code protoViaJson} / {@code protoDirect}: the page's protobuf form by {@link ProtoCodec#encodeJson} of the
 *   JSON frame, and by {@link FrameProto#syncBatch} from the fields; {@code msgProto*} the same for one live
 *   {@code msg} frame.</li>
 * </ul>
 * Run: {@code java -jar target/switchboard-jmh.jar SyncPageBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SyncPageBench {
  private static final int PAGE = 100;
  private static final long TS = 1_700_000_000_000L;

  /** What the database returns per row: the body column as text. */
  private String[] stored;
  private SyncPage page;
  private byte[] pageJson;
  private byte[] msgJson;
  private byte[] msgBody;

  @Setup
  public void setUp() {
    stored = new String[PAGE];
    for (int i = 0; i < PAGE; i++) {
      stored[i] = new JsonObject().put("text", "message number " + i + ", with some words in it: héllo wörld")
          .put("mentions", new JsonArray().add(1001).add(1002)).put("reply", i * 7L).encode();
    }
    page = spliced();
    pageJson = SyncFrames.batch("s-1", page).jsonBytes();
    if (!new JsonObject(new String(pageJson, StandardCharsets.UTF_8)).equals(tree())) {
      throw new IllegalStateException("the spliced page differs from the tree-built one");
    }
    if (!Arrays.equals(ProtoCodec.encodeJson(pageJson), FrameProto.syncBatch("s-1", page))) {
      throw new IllegalStateException("direct protobuf differs from the converted JSON");
    }
    msgBody = stored[0].getBytes(StandardCharsets.UTF_8);
    msgJson = MessageJson.messageBytes(123456789012345L, "c-1", 7, 8, 42, TS, "text", msgBody, false);
  }

  private JsonObject tree() {
    JsonArray msgs = new JsonArray();
    for (int i = 0; i < PAGE; i++) {
      msgs.add(MessageJson.message(1000 + i, "c-" + i, 7, 8, i + 1, TS + i, "text",
          MessageJson.decodeBody(stored[i]), false));
    }
    JsonObject reply = new JsonObject().put("msgs", msgs).put("more", true).put("head", 500L);
    return Frames.reply("sync.batch", "s-1").mergeIn(reply);
  }

  private SyncPage spliced() {
    List<SyncEntry> entries = new ArrayList<>(PAGE);
    for (int i = 0; i < PAGE; i++) {
      entries.add(SyncEntry.message(1000 + i, "c-" + i, 7, 8, i + 1, TS + i, "text",
          stored[i].getBytes(StandardCharsets.UTF_8), false));
    }
    return new SyncPage(0, entries, true, 500);
  }

  @Benchmark
  public byte[] treePage() {
    return OutFrame.of(tree()).jsonBytes();
  }

  @Benchmark
  public byte[] splicedPage() {
    return SyncFrames.batch("s-1", spliced()).jsonBytes();
  }

  @Benchmark
  public byte[] protoViaJson() {
    return ProtoCodec.encodeJson(pageJson);
  }

  @Benchmark
  public byte[] protoDirect() {
    return FrameProto.syncBatch("s-1", page);
  }

  @Benchmark
  public byte[] msgProtoViaJson() {
    return ProtoCodec.encodeJson(msgJson);
  }

  @Benchmark
  public byte[] msgProtoDirect() {
    return FrameProto.message(123456789012345L, "c-1", 7, 8, 0, 42, TS, "text", msgBody, false);
  }
}

package dev.switchboard.protocol.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compatibility promise of the bus contracts: every committed golden sample (every version ever committed) still
 * decodes, the current version's decodes to the sample, a newer sender's extra fields are skipped, and an older
 * sender's missing fields read as defaults.
 */
class ContractGoldenTest {
  static java.util.stream.Stream<Contract> samples() {
    return ContractSamples.ALL.stream();
  }

  @Test
  void everyContractHasOneSampleAndEveryIdIsUnique() {
    Set<ContractType<?>> sampled = ContractSamples.ALL.stream().map(Contract::type).collect(Collectors.toSet());
    assertEquals(Set.copyOf(Contracts.ALL), sampled, "ContractSamples.ALL must hold one sample per contract");
    assertEquals(Contracts.ALL.size(), Contracts.ALL.stream().map(ContractType::id).distinct().count());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void roundTripsThroughTheWireForm(Contract sample) {
    Buffer wire = Buffer.buffer();
    codec(sample).encodeToWire(wire, sample);
    assertEquals(sample, codec(sample).decodeFromWire(0, wire));
    assertEquals(sample, Contracts.decode(Contracts.encode(sample)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void everyCommittedVersionOfTheGoldenSampleStillDecodes(Contract sample) throws IOException {
    ContractType<?> type = sample.type();
    for (int v = 1; v <= type.version(); v++) {
      byte[] golden = golden(type, v);
      if (golden == null) {
        if (v < type.version()) {
          continue; // versions never committed (raised twice in one change)
        }
        Path out = Path.of("target", "contracts-golden", type.name(), "v" + v + ".hex");
        Files.createDirectories(out.getParent());
        Files.writeString(out, HexFormat.of().formatHex(Contracts.encode(sample).getBytes()) + "\n");
        fail("no golden sample for " + type.name() + " v" + v + ": review " + out + " and commit it as "
            + "protocol/src/test/resources/contracts/" + type.name() + "/v" + v + ".hex");
      }
      Contract decoded = Contracts.decode(Buffer.buffer(golden));
      assertEquals(type, decoded.type());
      if (v == type.version()) {
        assertEquals(sample, decoded, type.name() + " v" + v + " golden sample decodes to the sample");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void aNewerSendersUnknownFieldsAreSkipped(Contract sample) {
    Buffer newer = Contracts.encode(sample);
    ContractWriter w = new ContractWriter(newer);
    w.putLong(1000, 7).putString(1001, "added later").putBytes(1002, new byte[] {1, 2, 3});
    assertEquals(sample, Contracts.decode(newer));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void anOlderSendersMissingFieldsReadAsDefaults(Contract sample) {
    Buffer header = Buffer.buffer();
    ContractWriter w = new ContractWriter(header);
    w.varint(sample.type().id());
    w.varint(sample.type().version());
    Contract empty = Contracts.decode(header);
    assertNotNull(empty);
    assertEquals(sample.type(), empty.type());
  }

  @Test
  void garbageIsRefusedNotMisread() {
    assertThrows(IllegalArgumentException.class, () -> Contracts.decode(Buffer.buffer(new byte[] {(byte) 0x7f})));
    Buffer truncated = Contracts.encode(ContractSamples.ALL.get(0));
    assertThrows(IllegalArgumentException.class,
        () -> Contracts.decode(truncated.slice(0, truncated.length() - 1)));
  }

  @SuppressWarnings("unchecked")
  private static ContractCodec<Contract> codec(Contract c) {
    return new ContractCodec<>((ContractType<Contract>) c.type());
  }

  private static byte[] golden(ContractType<?> type, int version) throws IOException {
    try (InputStream in = ContractGoldenTest.class.getResourceAsStream(
        "/contracts/" + type.name() + "/v" + version + ".hex")) {
      if (in == null) {
        return null;
      }
      String hex = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
      assertTrue(hex.matches("[0-9a-f]*"), "golden file is lowercase hex");
      return HexFormat.of().parseHex(hex);
    }
  }
}

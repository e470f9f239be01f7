package dev.switchboard.protocol.contract;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code im.gateway.stats} event, published by every gateway instance every {@code statsIntervalMs}: its node and
 * instance id, public URLs, its counts, and how long the report holds ({@code ttlMs}); {@code gone} (with the ids
 * only) when the instance stops. {@code devices} counts online sessions per device kind and {@code rooms} local member
 * sessions per room; on the wire each map is two repeated fields of equal length (names, counts) paired by position.
 */
public record GatewayStatsReport(int node, String instance, String publicWs, String publicTcp, boolean gone,
                                 long ttlMs, long sessions, long connections, long ws, long tcp,
                                 long slowConsumerDrops, long roomConsumers, long groupConsumers,
                                 Map<String, Long> devices, Map<String, Long> rooms) implements Contract {
  public static final ContractType<GatewayStatsReport> TYPE =
      new ContractType<>(32, "GatewayStatsReport", 1, GatewayStatsReport.class, GatewayStatsReport::decode);

  public GatewayStatsReport {
    devices = Collections.unmodifiableMap(new LinkedHashMap<>(devices == null ? Map.of() : devices));
    rooms = Collections.unmodifiableMap(new LinkedHashMap<>(rooms == null ? Map.of() : rooms));
  }

  /** The report of an instance that stopped. */
  public static GatewayStatsReport gone(int node, String instance) {
    return new GatewayStatsReport(node, instance, null, null, true, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), Map.of());
  }

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putInt(1, node).putString(2, instance).putString(3, publicWs).putString(4, publicTcp).putBool(5, gone)
        .putLong(6, ttlMs).putLong(7, sessions).putLong(8, connections).putLong(9, ws).putLong(10, tcp)
        .putLong(11, slowConsumerDrops).putLong(12, roomConsumers).putLong(13, groupConsumers);
    putMap(w, 14, 15, devices);
    putMap(w, 16, 17, rooms);
  }

  private static void putMap(ContractWriter w, int names, int counts, Map<String, Long> map) {
    long[] n = new long[map.size()];
    int i = 0;
    for (long v : map.values()) {
      n[i++] = v;
    }
    w.putStrings(names, new ArrayList<>(map.keySet())).putLongs(counts, n);
  }

  static GatewayStatsReport decode(ContractReader r) {
    int node = 0;
    String instance = null;
    String publicWs = null;
    String publicTcp = null;
    boolean gone = false;
    long[] n = new long[8];
    List<String> deviceNames = new ArrayList<>();
    List<Long> deviceCounts = new ArrayList<>();
    List<String> roomNames = new ArrayList<>();
    List<Long> roomCounts = new ArrayList<>();
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> node = r.readInt();
        case 2 -> instance = r.readString();
        case 3 -> publicWs = r.readString();
        case 4 -> publicTcp = r.readString();
        case 5 -> gone = r.readBool();
        case 6, 7, 8, 9, 10, 11, 12, 13 -> n[f - 6] = r.readLong();
        case 14 -> deviceNames.add(r.readString());
        case 15 -> deviceCounts.add(r.readLong());
        case 16 -> roomNames.add(r.readString());
        case 17 -> roomCounts.add(r.readLong());
        default -> r.skip();
      }
    }
    return new GatewayStatsReport(node, instance, publicWs, publicTcp, gone, n[0], n[1], n[2], n[3], n[4], n[5],
        n[6], n[7], zip(deviceNames, deviceCounts), zip(roomNames, roomCounts));
  }

  private static Map<String, Long> zip(List<String> names, List<Long> counts) {
    if (names.size() != counts.size()) {
      throw new IllegalArgumentException("GatewayStatsReport: " + names.size() + " names but " + counts.size()
          + " counts");
    }
    Map<String, Long> map = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      map.put(names.get(i), counts.get(i));
    }
    return map;
  }
}

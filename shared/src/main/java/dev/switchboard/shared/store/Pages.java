package dev.switchboard.shared.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.function.Function;

/** Paging: queries ask for {@code limit + 1} rows; the extra row only tells that there is more. */
public final class Pages {
  private Pages() {
  }

  /** {@code {<field>: [first limit rows, mapped], more}}. */
  public static JsonObject of(RowSet<Row> rows, int limit, String field, Function<Row, Object> map) {
    JsonArray items = new JsonArray();
    for (Row row : rows) {
      if (items.size() == limit) {
        break;
      }
      items.add(map.apply(row));
    }
    return new JsonObject().put(field, items).put("more", rows.size() > limit);
  }
}

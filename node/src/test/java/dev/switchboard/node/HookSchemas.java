package dev.switchboard.node;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The JSON Schemas of docs/schemas (draft 2020-12), to check what the server sends to applications against them. */
final class HookSchemas {
  private static final String BASE = "https://switchboard.dev/schemas/";
  private static final SchemaRepository REPO = load();

  private HookSchemas() {
  }

  private static SchemaRepository load() {
    SchemaRepository repo = SchemaRepository.create(new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
        .setBaseUri(BASE).setOutputFormat(OutputFormat.Basic));
    try (Stream<Path> files = Files.list(DeploymentFilesTest.ROOT.resolve("docs/schemas"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".schema.json")).toList()) {
        repo.dereference(JsonSchema.of(new JsonObject(Files.readString(f))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return repo;
  }

  /** Fails unless {@code json} is valid against docs/schemas/{@code file}. */
  static void check(String file, Object json) {
    OutputUnit out = REPO.validator(BASE + file).validate(json);
    if (!Boolean.TRUE.equals(out.getValid())) {
      throw new AssertionError(file + " rejects " + json + ": " + out.getErrors());
    }
  }
}

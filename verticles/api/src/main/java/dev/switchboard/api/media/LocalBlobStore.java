package dev.switchboard.api.media;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Path;
import java.util.UUID;

/**
 * {@link BlobStore} on a local directory: {@code blobs/<first two hex digits>/<key>} and uploads in progress in
 * {@code tmp/} on the same file system, so that keeping an upload is an atomic rename. Every operation is Vert.x's
 * asynchronous file system: no event loop waits on the disk. Several API instances on several machines share one
 * directory (NFS or the like) or use another store.
 */
public final class LocalBlobStore implements BlobStore {
  private final FileSystem fs;
  private final Path blobs;
  private final Path tmp;

  public LocalBlobStore(Vertx vertx, String dir) {
    this.fs = vertx.fileSystem();
    Path root = Path.of(dir).toAbsolutePath().normalize();
    this.blobs = root.resolve("blobs");
    this.tmp = root.resolve("tmp");
  }

  /** Creates the directories (owner-only); call once before use. */
  public Future<Void> start() {
    return fs.mkdirs(blobs.toString(), "rwx------").compose(v -> fs.mkdirs(tmp.toString(), "rwx------"));
  }

  private Path path(String key) {
    if (!key.matches("[0-9a-f]{64}(\\.thumb)?")) {
      throw new IllegalArgumentException("not a blob key: " + key);
    }
    return blobs.resolve(key.substring(0, 2)).resolve(key);
  }

  @Override
  public Future<Staged> stage() {
    String path = tmp.resolve(UUID.randomUUID().toString()).toString();
    return fs.open(path, new OpenOptions().setWrite(true).setCreateNew(true).setPerms("rw-------"))
        .map(file -> new Staged(path, file));
  }

  @Override
  public Future<Void> keep(Staged staged, String key) {
    Path target = path(key);
    return fs.exists(target.toString()).compose(exists -> exists ? fs.delete(staged.path())
        : fs.mkdirs(target.getParent().toString()).compose(v -> fs.move(staged.path(), target.toString(),
            new CopyOptions().setReplaceExisting(true).setAtomicMove(true))));
  }

  @Override
  public Future<Void> discard(Staged staged) {
    return staged.file().close().otherwiseEmpty().compose(v -> fs.delete(staged.path())).otherwiseEmpty();
  }

  @Override
  public Future<Void> put(String key, Buffer bytes) {
    Path target = path(key);
    String part = tmp.resolve(UUID.randomUUID().toString()).toString();
    return fs.mkdirs(target.getParent().toString()).compose(v -> fs.writeFile(part, bytes))
        .compose(v -> fs.chmod(part, "rw-------"))
        .compose(v -> fs.move(part, target.toString(), new CopyOptions().setReplaceExisting(true)
            .setAtomicMove(true)));
  }

  @Override
  public Future<Void> delete(String key) {
    String p = path(key).toString();
    return fs.delete(p).recover(t -> fs.exists(p).compose(e -> e ? Future.failedFuture(t) : Future.succeededFuture()));
  }

  @Override
  public Future<Void> send(HttpServerResponse response, String key, long offset, long length) {
    String p = path(key).toString();
    return fs.exists(p).compose(exists -> exists ? response.sendFile(p, offset, length)
        : Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "the file is gone")));
  }
}

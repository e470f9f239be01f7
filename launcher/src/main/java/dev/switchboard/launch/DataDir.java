package dev.switchboard.launch;

import dev.switchboard.shared.config.DbConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The node's data directory (the embedded database and the generated token secret): the directory is {@code 0700} and
 * the files in it {@code 0600}, set when they are created and corrected at every start, so no other local user can
 * read the token secret (and forge tokens) or the database. On a file system without POSIX permissions nothing is
 * changed. Blocking: call from a worker.
 */
final class DataDir {
  static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private DataDir() {
  }

  /** The directory of the embedded database file. */
  static Path of(DbConfig db) {
    return Path.of(db.path()).toAbsolutePath().normalize().getParent();
  }

  /** Creates {@code dir} (owner-only) when absent; makes an existing one owner-only. */
  static void secure(Path dir) throws IOException {
    if (!posix(dir)) {
      Files.createDirectories(dir);
      return;
    }
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir.getParent());
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR));
      } catch (FileAlreadyExistsException raced) {
        // created meanwhile: corrected below
      }
    }
    Files.setPosixFilePermissions(dir, DIR);
  }

  /** Writes a new file that is owner-only from its creation (never readable by others, not even briefly). */
  static void writePrivate(Path file, String content) throws IOException {
    if (posix(file.getParent())) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
    }
    Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
  }

  /** Makes an existing file owner-only. */
  static void restrict(Path file) throws IOException {
    if (posix(file.getParent())) {
      Files.setPosixFilePermissions(file, FILE);
    }
  }

  /** Makes the embedded database's files ({@code <name>.mv.db}, {@code <name>.trace.db}, ...) owner-only. */
  static void restrictDatabaseFiles(DbConfig db) throws IOException {
    Path dir = of(db);
    String name = Path.of(db.path()).getFileName().toString();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith(name + ".")).toList()) {
        restrict(f);
      }
    }
  }

  private static boolean posix(Path anyPath) {
    return anyPath.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}

package switchboard.support;

import java.nio.file.Path;
import java.util.Arrays;

/** {@code Summary <name> <file>...}: merges the {@code name=} histograms of every file and prints their summary. */
public final class Summary {
  private Summary() {
  }

  public static void main(String[] args) throws Exception {
    System.out.println(Latency.read(Arrays.stream(args).skip(1).map(Path::of).toList(), args[0]).summary());
  }
}

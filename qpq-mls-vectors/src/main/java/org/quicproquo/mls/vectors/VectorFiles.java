package org.quicproquo.mls.vectors;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the official vectors live: env {@code QPQ_MLS_VECTORS}, else {@code ../shared/mls-test-vectors}
 * beside the checkout (system property {@code qpq.root} names the checkout; Maven sets it).
 */
public final class VectorFiles {
  private VectorFiles() {}

  /** The vector directory; throws if it does not exist, so a missing directory fails, never skips. */
  public static Path dir() {
    String env = System.getenv("QPQ_MLS_VECTORS");
    Path dir;
    if (env != null && !env.isBlank()) {
      dir = Path.of(env);
    } else {
      String root = System.getProperty("qpq.root", System.getProperty("user.dir"));
      dir = Path.of(root).resolve("../shared/mls-test-vectors").normalize();
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("MLS test-vector directory not found: " + dir
          + " (set QPQ_MLS_VECTORS or place the vectors in ../shared/mls-test-vectors)");
    }
    return dir;
  }

  /** A named file inside {@link #dir()}; throws if missing. */
  public static Path file(String name) {
    Path f = dir().resolve(name);
    if (!Files.isRegularFile(f)) {
      throw new IllegalStateException("MLS test-vector file not found: " + f);
    }
    return f;
  }
}

package org.quicproquo.core.keystore;

/**
 * Argon2id cost parameters (RFC 9106), stored in the key store header so a store stays readable
 * when the defaults change.
 *
 * @param memoryKiB   memory in KiB, {@value #MIN_MEMORY_KIB} to {@value #MAX_MEMORY_KIB}
 * @param iterations  passes over memory, 1 to {@value #MAX_ITERATIONS}
 * @param parallelism lanes, 1 to {@value #MAX_PARALLELISM}
 */
public record Argon2Params(int memoryKiB, int iterations, int parallelism) {
  /** Lower bound; only tests should go this low. */
  public static final int MIN_MEMORY_KIB = 8;
  /** Upper bound (1 GiB), so a hostile header cannot make opening a store exhaust memory. */
  public static final int MAX_MEMORY_KIB = 1 << 20;
  /** Upper bound on iterations, for the same reason. */
  public static final int MAX_ITERATIONS = 64;
  /** Upper bound on lanes. */
  public static final int MAX_PARALLELISM = 16;

  /** The default: 64 MiB, 3 iterations, 1 lane (RFC 9106 §4 second recommendation; ~0.5 s here). */
  public static final Argon2Params DEFAULT = new Argon2Params(64 * 1024, 3, 1);

  /** @throws IllegalArgumentException if a value is out of bounds (Argon2 also needs memory &gt;= 8 x lanes) */
  public Argon2Params {
    String problem = problem(memoryKiB, iterations, parallelism);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  static String problem(long memoryKiB, long iterations, long parallelism) {
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      return "Argon2 parallelism out of range";
    }
    if (memoryKiB < Math.max(MIN_MEMORY_KIB, 8 * parallelism) || memoryKiB > MAX_MEMORY_KIB) {
      return "Argon2 memory out of range";
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      return "Argon2 iterations out of range";
    }
    return null;
  }
}

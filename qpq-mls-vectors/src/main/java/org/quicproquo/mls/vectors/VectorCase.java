package org.quicproquo.mls.vectors;

/** One case of a test-vector file. */
public interface VectorCase {
  /** Short name for reports, e.g. {@code "cipher_suite=1 n_leaves=8"}. */
  String name();

  /**
   * Recomputes everything the case specifies and compares. Throws {@link VectorMismatch} naming the
   * first field that differs; any other exception also counts as a failure.
   */
  void check() throws Exception;
}

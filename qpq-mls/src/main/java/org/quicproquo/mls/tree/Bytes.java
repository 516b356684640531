package org.quicproquo.mls.tree;

import java.util.Arrays;

/** A byte string usable as a hash-map key (content equality). Wraps without copying: owner's array. */
record Bytes(byte[] value) {
  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes b && Arrays.equals(value, b.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }
}

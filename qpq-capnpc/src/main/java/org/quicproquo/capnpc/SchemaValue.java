package org.quicproquo.capnpc;

/**
 * A {@code schema.capnp Value}. Scalars keep their raw bits in {@code bits} (booleans 0/1, floats as
 * IEEE bits, enums as their ordinal). Text and Data keep their bytes in {@code bytes}. Lists,
 * structs and AnyPointers keep a single-segment message whose root pointer (word 0) points at the
 * value; {@code bytes} is null when the pointer was null.
 */
record SchemaValue(TypeKind kind, long bits, byte[] bytes) {
  SchemaValue {
    bytes = bytes == null ? null : bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes == null ? null : bytes.clone();
  }

  boolean isNullPointer() {
    return bytes == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SchemaValue v && v.kind == kind && v.bits == bits
        && java.util.Arrays.equals(v.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(kind, bits, java.util.Arrays.hashCode(bytes));
  }
}

package org.quicproquo.capnpc;

/** A {@code schema.capnp Method}; its ordinal is its index in the interface's method list. */
record SchemaMethod(String name, int ordinal, long paramStructType, long resultStructType) {
}

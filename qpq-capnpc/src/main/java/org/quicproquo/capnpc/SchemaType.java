package org.quicproquo.capnpc;

/**
 * A {@code schema.capnp Type}: its kind, the element type of a list, and the node id of an enum,
 * struct or interface. Generic brands are not modelled (type parameters read as AnyPointer).
 */
record SchemaType(TypeKind kind, SchemaType element, long typeId) {
  SchemaType {
    if ((kind == TypeKind.LIST) != (element != null)) {
      throw new CapnpcException("list type needs exactly one element type");
    }
  }
}

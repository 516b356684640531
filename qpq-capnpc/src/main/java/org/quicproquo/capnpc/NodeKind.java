package org.quicproquo.capnpc;

/** The kinds of {@code schema.capnp Node}; {@link #code} is the union discriminant on the wire. */
enum NodeKind {
  FILE(0), STRUCT(1), ENUM(2), INTERFACE(3), CONST(4), ANNOTATION(5);

  final int code;

  NodeKind(int code) {
    this.code = code;
  }

  static NodeKind fromCode(int code) {
    for (NodeKind kind : values()) {
      if (kind.code == code) {
        return kind;
      }
    }
    throw new CapnpcException("unknown Node discriminant " + code);
  }
}

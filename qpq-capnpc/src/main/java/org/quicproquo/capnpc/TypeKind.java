package org.quicproquo.capnpc;

/** The kinds of {@code schema.capnp Type}; {@link #code} is the union discriminant on the wire. */
enum TypeKind {
  VOID(0), BOOL(1), INT8(2), INT16(3), INT32(4), INT64(5), UINT8(6), UINT16(7), UINT32(8), UINT64(9),
  FLOAT32(10), FLOAT64(11), TEXT(12), DATA(13), LIST(14), ENUM(15), STRUCT(16), INTERFACE(17),
  ANY_POINTER(18);

  final int code;

  TypeKind(int code) {
    this.code = code;
  }

  static TypeKind fromCode(int code) {
    for (TypeKind kind : values()) {
      if (kind.code == code) {
        return kind;
      }
    }
    throw new CapnpcException("unknown Type discriminant " + code);
  }

  /** True for kinds stored in a pointer slot. */
  boolean isPointer() {
    return switch (this) {
      case TEXT, DATA, LIST, STRUCT, INTERFACE, ANY_POINTER -> true;
      default -> false;
    };
  }
}

package org.quicproquo.capnpc;

/**
 * A {@code schema.capnp Field}: either a slot (offset in units of the type's width, type, default)
 * or a group (the id of the group's struct node).
 */
record SchemaField(String name, int codeOrder, int discriminantValue, boolean isGroup, long groupId,
    int offset, SchemaType type, SchemaValue defaultValue, boolean hadExplicitDefault) {

  static final int NO_DISCRIMINANT = 0xffff;

  boolean inUnion() {
    return discriminantValue != NO_DISCRIMINANT;
  }
}

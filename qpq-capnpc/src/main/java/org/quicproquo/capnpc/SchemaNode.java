package org.quicproquo.capnpc;

import java.util.List;

/**
 * A {@code schema.capnp Node}. Only the parts of the node's kind are filled: struct layout and
 * fields, enumerant names, interface methods, or a constant's type and value.
 */
record SchemaNode(long id, String displayName, long scopeId, List<NestedNode> nestedNodes, NodeKind kind,
    StructLayout struct, List<String> enumerants, List<SchemaMethod> methods, SchemaType constType,
    SchemaValue constValue) {

  SchemaNode {
    nestedNodes = List.copyOf(nestedNodes);
    enumerants = List.copyOf(enumerants);
    methods = List.copyOf(methods);
  }

  /** A named child declared in a node's scope. */
  record NestedNode(String name, long id) {
  }

  /** The struct (or group) part of a node. */
  record StructLayout(int dataWordCount, int pointerCount, boolean isGroup, int discriminantCount,
      int discriminantOffset, List<SchemaField> fields) {
    StructLayout {
      fields = List.copyOf(fields);
    }
  }
}

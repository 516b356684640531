package org.quicproquo.capnpc;

import java.util.List;
import java.util.Map;

/** A decoded {@code CodeGeneratorRequest}: every node by id, and the files to generate. */
record GeneratorRequest(Map<Long, SchemaNode> nodes, List<RequestedFile> requestedFiles) {
  GeneratorRequest {
    nodes = Map.copyOf(nodes);
    requestedFiles = List.copyOf(requestedFiles);
  }

  SchemaNode node(long id) {
    SchemaNode node = nodes.get(id);
    if (node == null) {
      throw new CapnpcException("request references unknown node @0x" + Long.toHexString(id));
    }
    return node;
  }

  /** A file named on the compiler's command line. */
  record RequestedFile(long id, String filename) {
  }
}

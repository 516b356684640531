package org.quicproquo.capnpc;

import java.util.List;
import java.util.Map;

/** A decoded {@code CodeGeneratorRequest}: every node by id, and the files to generate. */
record GeneratorRequest(Map<Long, SchemaNode> nodes, List<RequestedFile> requestedFiles,
    Map<Long, SourceDoc> docs) {
  GeneratorRequest {
    // Keep the compiler's order: Map.copyOf would iterate in a per-JVM random order.
    nodes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(nodes));
    requestedFiles = List.copyOf(requestedFiles);
    docs = Map.copyOf(docs);
  }

  /** The doc comment of a node, or of its i-th member (field, enumerant, method); "" if none. */
  String doc(long id) {
    SourceDoc doc = docs.get(id);
    return doc == null ? "" : doc.doc();
  }

  String memberDoc(long id, int member) {
    SourceDoc doc = docs.get(id);
    return doc == null || member >= doc.members().size() ? "" : doc.members().get(member);
  }

  /** {@code Node.SourceInfo}: doc comments written in the schema. */
  record SourceDoc(String doc, List<String> members) {
    SourceDoc {
      members = List.copyOf(members);
    }
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

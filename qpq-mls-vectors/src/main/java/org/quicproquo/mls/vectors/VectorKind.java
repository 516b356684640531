package org.quicproquo.mls.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One kind of official test-vector file (test-vectors.md of mlswg/mls-implementations), such as
 * {@code tree-math} or {@code passive-client-welcome}.
 */
public interface VectorKind {
  /** The kind's name; a vector file belongs to the kind whose name its base name starts with. */
  String name();

  /** The cases of a parsed file of this kind (a JSON array), each checkable on its own. */
  List<VectorCase> cases(JsonNode root) throws VectorFormatException;

  /** One case per element of {@code root}, numbered from 0: the shape of most vector files. */
  static List<VectorCase> indexed(JsonNode root,
      java.util.function.BiFunction<Integer, JsonNode, ? extends VectorCase> make) {
    List<VectorCase> out = new java.util.ArrayList<>();
    int i = 0;
    for (JsonNode c : root) {
      out.add(make.apply(i++, c));
    }
    return out;
  }
}

package org.quicproquo.mls.tree;

import org.quicproquo.mls.codec.DecodeException;

/**
 * RFC 9420 §7.2:
 *
 * <pre>
 * enum {
 *     reserved(0),
 *     key_package(1),
 *     update(2),
 *     commit(3),
 *     (255)
 * } LeafNodeSource;
 * </pre>
 */
public enum LeafNodeSource {
  KEY_PACKAGE(1),
  UPDATE(2),
  COMMIT(3);

  private final int code;

  LeafNodeSource(int code) {
    this.code = code;
  }

  /** The wire code. */
  public int code() {
    return code;
  }

  /** The source with wire code {@code code}; rejects reserved and unknown codes. */
  public static LeafNodeSource fromCode(int code) throws DecodeException {
    for (LeafNodeSource s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new DecodeException("unknown leaf_node_source " + code);
  }
}

package org.quicproquo.mls.group;

/**
 * How a benchmark group's ratchet tree was built, which decides how much work a commit costs.
 *
 * <pre>
 *   BATCH_ADDED (8 members)                 FULL (8 members)
 *              P                                       P
 *        P           _                           P           P
 *     _     _     _     _                     P     P     P     P
 *    A  B  C  D  E  F  G  H                  A  B  C  D  E  F  G  H
 *   (only A's direct path is set)           (every parent node set)
 * </pre>
 */
public enum TreeShape {
  /**
   * The creator (leaf 0) added every other member in one commit. Only the creator's direct path
   * holds keys; every other parent node is blank, so the resolution of a blank subtree is all of
   * its leaves and a committer encrypts its path secrets to up to {@code n - 1} leaves.
   */
  BATCH_ADDED,
  /**
   * As {@link #BATCH_ADDED}, then every member committed once (an update commit with a path),
   * leaf 1 to leaf {@code n - 1} in order. Every parent node then holds a key and has no unmerged
   * leaves, so each copath node's resolution is one node and a commit encrypts to
   * {@code log2(n)} nodes.
   */
  FULL
}

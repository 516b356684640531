package org.quicproquo.mls.tree;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.message.Extension;

/**
 * Validity rules for leaf nodes (RFC 9420 §7.3) and whole ratchet trees (§12.4.3.1). Each rule
 * failure throws {@link InvalidTreeException} with a message naming the rule; nothing is changed.
 * Stateless and thread-safe.
 */
public final class TreeValidator {
  private TreeValidator() {}

  /**
   * Validates {@code leaf} as the new content of position {@code at} of {@code tree} (§7.3): for an
   * Add, {@code at} is where it will go (any blank leaf position works for the key checks); for an
   * Update or UpdatePath the leaf it replaces, whose own keys and credential do not count as
   * conflicts.
   *
   * @param expectedSource key_package for Add, update for Update, commit for UpdatePath
   */
  public static void validateLeaf(RatchetTree tree, LeafIndex at, LeafNode leaf,
      LeafNodeSource expectedSource, ValidationContext ctx) throws InvalidTreeException {
    if (leaf.source() != expectedSource) {
      throw new InvalidTreeException("leaf_node_source is " + leaf.source() + ", expected "
          + expectedSource);
    }
    checkLeafSignature(tree.suite(), at, leaf, ctx);
    validateVerifiedLeaf(tree, at, leaf, ctx);
  }

  /**
   * {@link #validateLeaf} for the leaf of an Add's KeyPackage on which {@link KeyPackage#verify}
   * has already passed: that verified the leaf's signature, so it is not verified a second time
   * (an Ed25519 verification is most of the cost of validating an Add).
   */
  public static void validateLeafOfVerifiedKeyPackage(RatchetTree tree, LeafIndex at,
      KeyPackage verified, ValidationContext ctx) throws InvalidTreeException {
    validateVerifiedLeaf(tree, at, verified.leafNode(), ctx);
  }

  /** Everything {@link #validateLeaf} checks after the source and the signature. */
  private static void validateVerifiedLeaf(RatchetTree tree, LeafIndex at, LeafNode leaf,
      ValidationContext ctx) throws InvalidTreeException {
    checkLeafContent(tree.suite(), at, leaf, ctx);
    LeafNode replaced = tree.leaf(at);
    if (replaced != null && leaf.source() != LeafNodeSource.KEY_PACKAGE
        && java.util.Arrays.equals(replaced.encryptionKey(), leaf.encryptionKey())) {
      throw new InvalidTreeException("new leaf of " + at
          + " keeps the current encryption_key (§12.1.2, §12.4.2)");
    }
    checkUnique(tree, leaf.encryptionKey(), leaf.signatureKey(), 2 * at.value());
    // Credential type of the new leaf must be supported by every other member ...
    int others = tree.memberCount() - (replaced == null ? 0 : 1);
    int type = leaf.credential().credentialType();
    int supporting = tree.membersSupportingCredential(type)
        - (replaced != null && replaced.capabilities().credentials().contains(type) ? 1 : 0);
    if (supporting != others) {
      throw new InvalidTreeException("credential type " + type
          + " is not supported by every member (§7.3)");
    }
    // ... and the new leaf must support every type other members use.
    for (int used : tree.credentialTypesInUse()) {
      int users = tree.membersUsingCredential(used)
          - (replaced != null && replaced.credential().credentialType() == used ? 1 : 0);
      if (users > 0 && !leaf.capabilities().supportsCredential(used)) {
        throw new InvalidTreeException("leaf does not support credential type " + used
            + " used in the group (§7.3)");
      }
    }
  }

  /**
   * Validates a whole tree received when joining (§12.4.3.1): every leaf per §7.3 (signature with
   * its own source, capabilities, credential, lifetime if {@code ctx.now()} is set), unique keys,
   * consistent unmerged leaves, and parent hashes (§7.9.2). The caller compares
   * {@link RatchetTree#treeHash()} with the GroupInfo's tree hash.
   */
  public static void validateTree(RatchetTree tree, ValidationContext ctx)
      throws InvalidTreeException {
    Set<Bytes> encKeys = new HashSet<>();
    Set<Bytes> sigKeys = new HashSet<>();
    List<Node> nodes = tree.nodes();
    for (int x = 0; x < nodes.size(); x++) {
      Node n = nodes.get(x);
      if (n == null) {
        continue;
      }
      if (!encKeys.add(new Bytes(n.encryptionKey()))) {
        throw new InvalidTreeException("encryption key of node " + x + " is not unique (§7.3)");
      }
      if (n instanceof LeafNode leaf) {
        LeafIndex at = new LeafIndex(x >>> 1);
        checkLeafSignature(tree.suite(), at, leaf, ctx);
        checkLeafContent(tree.suite(), at, leaf, ctx);
        if (!sigKeys.add(new Bytes(leaf.signatureKey()))) {
          throw new InvalidTreeException("signature key of " + at + " is not unique (§7.3)");
        }
      } else {
        checkUnmerged(tree, x, (ParentNode) n);
      }
    }
    for (int used : tree.credentialTypesInUse()) {
      if (tree.membersSupportingCredential(used) != tree.memberCount()) {
        throw new InvalidTreeException("credential type " + used
            + " is not supported by every member (§7.3)");
      }
    }
    tree.verifyParentHashes();
  }

  /**
   * Checks that every member supports {@code required} and every extension type of
   * {@code groupContextExtensionTypes}, as a GroupContextExtensions proposal needs (§12.1.7, §11.1).
   * O(members).
   */
  public static void checkAllMembersSupport(RatchetTree tree, RequiredCapabilities required,
      List<Integer> groupContextExtensionTypes) throws InvalidTreeException {
    for (LeafIndex l : tree.members()) {
      Capabilities caps = tree.leaf(l).capabilities();
      if (!required.isSatisfiedBy(caps)) {
        throw new InvalidTreeException(l + " does not support the required capabilities (§11.1)");
      }
      for (int type : groupContextExtensionTypes) {
        if (!caps.supportsExtension(type)) {
          throw new InvalidTreeException(l + " does not support group context extension "
              + type + " (§12.1.7)");
        }
      }
    }
  }

  private static void checkLeafSignature(CipherSuite suite, LeafIndex at, LeafNode leaf,
      ValidationContext ctx) throws InvalidTreeException {
    boolean ok = leaf.source() == LeafNodeSource.KEY_PACKAGE
        ? leaf.verifySignature(suite, null, null)
        : leaf.verifySignature(suite, ctx.groupId(), at);
    if (!ok) {
      throw new InvalidTreeException("leaf node signature of " + at + " does not verify (§7.3)");
    }
  }

  /** The §7.3 checks of a leaf's content other than its signature. */
  private static void checkLeafContent(CipherSuite suite, LeafIndex at, LeafNode leaf,
      ValidationContext ctx) throws InvalidTreeException {
    if (leaf.credential() instanceof Credential.X509 x509) {
      x509.verifyChain(leaf.signatureKey());
    }
    Capabilities caps = leaf.capabilities();
    if (!ctx.required().isSatisfiedBy(caps)) {
      throw new InvalidTreeException("leaf capabilities of " + at
          + " lack the group's required_capabilities (§7.3)");
    }
    if (!caps.supportsCredential(leaf.credential().credentialType())) {
      throw new InvalidTreeException("leaf of " + at
          + " does not list its own credential type in its capabilities (§7.2)");
    }
    for (Extension e : leaf.extensions()) {
      if (!caps.supportsExtension(e.extensionType())) {
        throw new InvalidTreeException("leaf of " + at + " carries extension "
            + e.extensionType() + " not listed in its capabilities (§7.3)");
      }
    }
    if (leaf.source() == LeafNodeSource.KEY_PACKAGE && ctx.now() != null
        && !leaf.lifetime().contains(ctx.now())) {
      throw new InvalidTreeException("leaf lifetime of " + at + " does not cover now (§7.3)");
    }
  }

  private static void checkUnique(RatchetTree tree, byte[] encryptionKey, byte[] signatureKey,
      int ownNode) throws InvalidTreeException {
    var enc = tree.nodeWithEncryptionKey(encryptionKey);
    if (enc.isPresent() && enc.get().value() != ownNode) {
      throw new InvalidTreeException("encryption key already used by " + enc.get() + " (§7.3)");
    }
    var sig = tree.leafWithSignatureKey(signatureKey);
    if (sig.isPresent() && 2 * sig.get().value() != ownNode) {
      throw new InvalidTreeException("signature key already used by " + sig.get() + " (§7.3)");
    }
  }

  private static void checkUnmerged(RatchetTree tree, int x, ParentNode p)
      throws InvalidTreeException {
    Set<LeafIndex> seen = new HashSet<>();
    for (LeafIndex l : p.unmergedLeaves()) {
      if (!seen.add(l)) {
        throw new InvalidTreeException("parent node " + x + " lists unmerged " + l + " twice");
      }
      int leafNode = 2 * l.value();
      if (!TreeMath.isAncestorOrSelf(x, leafNode) || leafNode >= tree.nodeCount()) {
        throw new InvalidTreeException("unmerged " + l + " is not below parent node " + x);
      }
      if (tree.leaf(l) == null) {
        throw new InvalidTreeException("unmerged " + l + " of parent node " + x + " is blank");
      }
      // Every non-blank parent between the leaf and x must list it too (§7.1).
      for (int q : TreeMath.directPath(leafNode, tree.leafCount())) {
        if (q == x) {
          break;
        }
        if (tree.nodeAt(q) instanceof ParentNode qp && !qp.unmergedLeaves().contains(l)) {
          throw new InvalidTreeException("unmerged " + l + " of parent node " + x
              + " missing from intermediate parent node " + q);
        }
      }
    }
  }

}

package org.quicproquo.mls.group;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.message.Extension;
import org.quicproquo.mls.message.ExtensionType;
import org.quicproquo.mls.message.GroupContext;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.ProposalType;
import org.quicproquo.mls.message.Sender;
import org.quicproquo.mls.schedule.PreSharedKeyId;
import org.quicproquo.mls.schedule.ResumptionPskUsage;
import org.quicproquo.mls.tree.InvalidTreeException;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.LeafNode;
import org.quicproquo.mls.tree.LeafNodeSource;
import org.quicproquo.mls.tree.Lifetime;
import org.quicproquo.mls.tree.RatchetTree;
import org.quicproquo.mls.tree.RequiredCapabilities;
import org.quicproquo.mls.tree.TreeValidator;
import org.quicproquo.mls.tree.ValidationContext;

/**
 * Validates the proposal list of one Commit (RFC 9420 §12.2) and applies it to a copy of the tree
 * in the order §12.4.2 prescribes: GroupContextExtensions, Update, Remove, Add; PreSharedKey,
 * ExternalInit and ReInit only feed the key schedule. The tree passed in is the caller's private
 * copy; nothing else is changed.
 */
final class ProposalApplier {
  private ProposalApplier() {}

  /** A proposal covered by a commit, with its sender (the committer for inline proposals). */
  record Covered(Proposal proposal, Sender sender) {}

  /** What applying a commit's proposals did. */
  record Applied(
      List<LeafIndex> addedLeaves,
      List<KeyPackage> addedKeyPackages,
      List<Member> removed,
      List<LeafIndex> updatedLeaves,
      List<PreSharedKeyId> psks,
      Optional<Proposal.ExternalInit> externalInit,
      Optional<List<Extension>> newExtensions,
      Optional<Proposal.ReInit> reInit,
      boolean pathRequired) {}

  /**
   * Validates {@code covered} for a commit by {@code committer} (a member leaf, or empty for an
   * external commit) and applies it to {@code tree}; Add key packages must be valid at
   * {@code now} (§10.1).
   */
  static Applied apply(CipherSuite suite, GroupContext ctx, RatchetTree tree,
      List<Covered> covered, Optional<LeafIndex> committer, Instant now)
      throws MessageRejectedException {
    boolean external = committer.isEmpty();
    ValidationContext vctx = validationContext(ctx.groupId(), ctx.extensions(), now);

    List<Proposal.Update> updates = new ArrayList<>();
    List<LeafIndex> updateLeaves = new ArrayList<>();
    List<LeafIndex> removes = new ArrayList<>();
    List<KeyPackage> adds = new ArrayList<>();
    List<PreSharedKeyId> psks = new ArrayList<>();
    Proposal.ExternalInit externalInit = null;
    Proposal.GroupContextExtensions gce = null;
    Proposal.ReInit reInit = null;
    boolean pathRequired = covered.isEmpty();
    Set<Integer> touchedLeaves = new HashSet<>();

    for (Covered c : covered) {
      Proposal p = c.proposal();
      Optional<ProposalType> type = ProposalType.lookup(p.typeCode());
      if (type.isEmpty()) {
        throw invalid("unsupported proposal type " + p.typeCode());
      }
      pathRequired |= type.get().pathRequired();
      if (external && !(p instanceof Proposal.ExternalInit || p instanceof Proposal.Remove
          || p instanceof Proposal.PreSharedKey)) {
        throw invalid("external commit may not cover " + type.get());
      }
      if (p instanceof Proposal.Update u) {
        if (!(c.sender() instanceof Sender.Member m)) {
          throw invalid("Update from a non-member sender");
        }
        if (committer.isPresent() && m.leafIndex().equals(committer.get())) {
          throw invalid("a commit may not cover an Update by the committer");
        }
        if (!touchedLeaves.add(m.leafIndex().value())) {
          throw invalid("more than one Update/Remove for leaf " + m.leafIndex().value());
        }
        updates.add(u);
        updateLeaves.add(m.leafIndex());
      } else if (p instanceof Proposal.Remove r) {
        LeafIndex leaf = r.leafIndex().orElseThrow(() -> invalid("Remove of a leaf out of range"));
        if (leaf.value() >= tree.leafCount() || tree.leaf(leaf) == null) {
          throw invalid("Remove of leaf " + leaf.value() + ", which is not a member");
        }
        if (committer.isPresent() && leaf.equals(committer.get())) {
          throw invalid("a commit may not remove the committer");
        }
        if (!touchedLeaves.add(leaf.value())) {
          throw invalid("more than one Update/Remove for leaf " + leaf.value());
        }
        removes.add(leaf);
      } else if (p instanceof Proposal.Add a) {
        adds.add(a.keyPackage());
      } else if (p instanceof Proposal.PreSharedKey psk) {
        PreSharedKeyId id = psk.psk();
        if (psks.contains(id)) {
          throw invalid("the same PSK is proposed twice");
        }
        if (id.pskNonce().length != suite.hashLength()) {
          throw invalid("psk_nonce length is not KDF.Nh");
        }
        if (id instanceof PreSharedKeyId.Resumption res
            && res.usage() != ResumptionPskUsage.APPLICATION) {
          throw invalid("resumption PSK proposals must have usage application");
        }
        psks.add(id);
      } else if (p instanceof Proposal.ExternalInit ei) {
        if (!external || externalInit != null) {
          throw invalid("ExternalInit is allowed once, in an external commit only");
        }
        externalInit = ei;
      } else if (p instanceof Proposal.GroupContextExtensions g) {
        if (gce != null) {
          throw invalid("more than one GroupContextExtensions proposal");
        }
        gce = g;
      } else if (p instanceof Proposal.ReInit ri) {
        if (covered.size() != 1) {
          throw invalid("ReInit must be the only proposal of its commit");
        }
        checkReInitVersion(ri);
        reInit = ri;
      } else {
        throw invalid("unsupported proposal " + p.getClass().getSimpleName());
      }
    }
    if (external && externalInit == null) {
      throw invalid("an external commit must cover exactly one ExternalInit");
    }
    if (external && removes.size() > 1) {
      throw invalid("an external commit may remove at most one (its old) leaf");
    }

    Optional<List<Extension>> newExtensions = Optional.empty();
    if (gce != null) {
      newExtensions = Optional.of(gce.extensions());
      vctx = validationContext(ctx.groupId(), gce.extensions(), now);
      RequiredCapabilities req = vctx.required();
      for (LeafIndex m : tree.members()) {
        LeafNode leaf = tree.leaf(m);
        if (!req.isSatisfiedBy(leaf.capabilities())) {
          throw invalid("leaf " + m.value() + " lacks capabilities the new extensions require");
        }
        for (Extension e : gce.extensions()) {
          if (!ExtensionType.isDefault(e.extensionType())
              && !leaf.capabilities().supportsExtension(e.extensionType())) {
            throw invalid("leaf " + m.value() + " does not support extension "
                + e.extensionType());
          }
        }
      }
    }

    List<Member> removed = new ArrayList<>();
    try {
      for (int i = 0; i < updates.size(); i++) {
        LeafIndex at = updateLeaves.get(i);
        LeafNode leaf = updates.get(i).leafNode();
        TreeValidator.validateLeaf(tree, at, leaf, LeafNodeSource.UPDATE, vctx);
        tree.updateLeaf(at, leaf);
      }
      for (LeafIndex r : removes) {
        LeafNode leaf = tree.leaf(r);
        removed.add(new Member(r, leaf.credential(), leaf.signatureKey()));
        tree.removeLeaf(r);
      }
      List<LeafIndex> addedLeaves = new ArrayList<>();
      for (KeyPackage kp : adds) {
        kp.verify(suite);
        checkLifetime(kp, now);
        validateExtensionsSupported(kp.leafNode(), newExtensions.orElse(ctx.extensions()));
        TreeValidator.validateLeafOfVerifiedKeyPackage(tree, firstBlankOrEnd(tree), kp, vctx);
        addedLeaves.add(tree.addLeaf(kp.leafNode()));
      }
      return new Applied(addedLeaves, adds, removed, updateLeaves, psks,
          Optional.ofNullable(externalInit), newExtensions, Optional.ofNullable(reInit),
          pathRequired);
    } catch (InvalidTreeException e) {
      throw new MessageRejectedException(RejectReason.INVALID_PROPOSAL, e.getMessage(), e);
    }
  }

  /**
   * §12.1.5: "The version field in the ReInit proposal MUST be no less than the version for the
   * current group" (always mls10 here).
   */
  static void checkReInitVersion(Proposal.ReInit ri) throws MessageRejectedException {
    if (ri.version() < KeyPackage.MLS10) {
      throw invalid("ReInit to protocol version " + ri.version() + ", below the group's");
    }
  }

  private static void validateExtensionsSupported(LeafNode leaf, List<Extension> groupExtensions)
      throws MessageRejectedException {
    for (Extension e : groupExtensions) {
      if (!ExtensionType.isDefault(e.extensionType())
          && !leaf.capabilities().supportsExtension(e.extensionType())) {
        throw invalid("new member does not support group extension " + e.extensionType());
      }
    }
  }

  /**
   * §10.1 / §7.3: the KeyPackage's leaf lifetime must cover {@code now}. Checked before the other
   * leaf rules so the rejection names this rule ({@link TreeValidator} checks it too, given now).
   */
  static void checkLifetime(KeyPackage kp, Instant now) throws MessageRejectedException {
    Lifetime lifetime = kp.leafNode().lifetime();
    if (lifetime == null) {
      // Only key_package leaves carry one; any other source is invalid in a KeyPackage (§10.1).
      throw invalid("key package leaf has source " + kp.leafNode().source());
    }
    if (!lifetime.contains(now)) {
      throw new MessageRejectedException(RejectReason.INVALID_LIFETIME,
          "key package lifetime [" + Long.toUnsignedString(lifetime.notBefore()) + ", "
              + Long.toUnsignedString(lifetime.notAfter()) + "] does not cover "
              + now.getEpochSecond() + " (§10.1)");
    }
  }

  /** The leaf position an Add would take (the key-uniqueness checks need a blank position). */
  static LeafIndex firstBlankOrEnd(RatchetTree tree) {
    // The tree's occupancy bitmap finds it in O(n / 64) words, not n leaf lookups.
    return tree.leftmostBlankLeaf();
  }

  /**
   * Leaf validation context from the group's extensions (required_capabilities if present);
   * key_package-sourced leaves must be valid at {@code now}. Only Adds and the tree of a group
   * being joined contain such leaves that are checked: a leaf whose key package expired after it
   * was added stays a member (Update and Commit leaves carry no lifetime).
   */
  static ValidationContext validationContext(byte[] groupId, List<Extension> extensions,
      Instant now) throws MessageRejectedException {
    RequiredCapabilities req = RequiredCapabilities.NONE;
    for (Extension e : extensions) {
      if (e.extensionType() == ExtensionType.REQUIRED_CAPABILITIES) {
        try {
          req = TlsReader.decodeAll(e.extensionData(), RequiredCapabilities::decode);
        } catch (DecodeException ex) {
          throw new MessageRejectedException(RejectReason.MALFORMED,
              "bad required_capabilities extension", ex);
        }
      }
    }
    return new ValidationContext(groupId, req, now);
  }

  private static MessageRejectedException invalid(String message) {
    return new MessageRejectedException(RejectReason.INVALID_PROPOSAL, message);
  }
}

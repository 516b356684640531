package org.quicproquo.mls.group;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CryptoException;
import org.quicproquo.mls.crypto.HpkeExport;
import org.quicproquo.mls.crypto.HpkeKeyPair;
import org.quicproquo.mls.crypto.SignatureKeyPair;
import org.quicproquo.mls.framing.PublicMessageProtection;
import org.quicproquo.mls.framing.TranscriptHash;
import org.quicproquo.mls.message.AuthenticatedContent;
import org.quicproquo.mls.message.Commit;
import org.quicproquo.mls.message.EncryptedGroupSecrets;
import org.quicproquo.mls.message.Extension;
import org.quicproquo.mls.message.ExtensionType;
import org.quicproquo.mls.message.ExternalPub;
import org.quicproquo.mls.message.FramedContent;
import org.quicproquo.mls.message.FramedContentAuthData;
import org.quicproquo.mls.message.GroupContext;
import org.quicproquo.mls.message.GroupInfo;
import org.quicproquo.mls.message.GroupSecrets;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.ProposalOrRef;
import org.quicproquo.mls.message.PublicMessage;
import org.quicproquo.mls.message.Sender;
import org.quicproquo.mls.message.Welcome;
import org.quicproquo.mls.message.WireFormat;
import org.quicproquo.mls.schedule.EpochSecrets;
import org.quicproquo.mls.schedule.KeySchedule;
import org.quicproquo.mls.tree.Capabilities;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.InvalidTreeException;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.KeyPackageRef;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.LeafNode;
import org.quicproquo.mls.tree.LeafNodeSource;
import org.quicproquo.mls.tree.NodeIndex;
import org.quicproquo.mls.tree.RatchetTree;
import org.quicproquo.mls.tree.TreeKem;
import org.quicproquo.mls.tree.TreeMath;
import org.quicproquo.mls.tree.TreePrivateKeys;
import org.quicproquo.mls.tree.TreeValidator;
import org.quicproquo.mls.tree.UpdatePath;

/** Joining a group: from a Welcome (RFC 9420 §12.4.3.1) or by external commit (§12.4.3.2). */
final class JoinFlow {
  private JoinFlow() {}

  /** Largest encrypted GroupInfo accepted, bounding the plaintext allocated for it. */
  static final int MAX_GROUP_INFO = 64 << 20;

  static GroupState fromWelcome(CipherSuite suite, Welcome welcome, KeyPackageBundle bundle,
      Optional<RatchetTree> outOfBandTree, ExternalPsks psks, GroupOptions options)
      throws MessageRejectedException {
    KeyPackage kp = bundle.keyPackage();
    if (welcome.cipherSuite() != suite.id() || kp.cipherSuite() != suite.id()) {
      throw invalid("Welcome, key package and cipher suite disagree");
    }
    KeyPackageRef ref = kp.ref(suite);
    EncryptedGroupSecrets mine = welcome.secrets().stream()
        .filter(e -> e.newMember().equals(ref)).findFirst()
        .orElseThrow(() -> invalid("the Welcome has no secrets for this key package"));
    if (welcome.encryptedGroupInfo().length > MAX_GROUP_INFO) {
      throw invalid("encrypted GroupInfo too large");
    }
    GroupSecrets gs;
    try {
      byte[] plain = suite.decryptWithLabel(bundle.initPrivateKey(), CommitFlow.WELCOME_LABEL,
          welcome.encryptedGroupInfo(), mine.encryptedGroupSecrets());
      gs = TlsReader.decodeAll(plain, GroupSecrets::decode);
    } catch (CryptoException | DecodeException e) {
      throw invalid("GroupSecrets do not decrypt or decode", e);
    }
    byte[] pskSecret = Psks.secret(suite, gs.psks(), psks, null);
    KeySchedule ks = new KeySchedule(suite);
    byte[] welcomeSecret = ks.welcomeSecret(gs.joinerSecret(), pskSecret);
    GroupInfo gi;
    try {
      byte[] plain = suite.aeadOpen(ks.welcomeKey(welcomeSecret), ks.welcomeNonce(welcomeSecret),
          new byte[0], welcome.encryptedGroupInfo());
      gi = TlsReader.decodeAll(plain, GroupInfo::decode);
    } catch (CryptoException | DecodeException e) {
      throw invalid("GroupInfo does not decrypt or decode", e);
    }
    GroupContext ctx = gi.groupContext();
    if (ctx.cipherSuite() != suite.id()) {
      throw invalid("GroupInfo cipher suite differs from the Welcome's");
    }
    RatchetTree tree = verifiedTree(suite, gi, outOfBandTree, options.clock().instant(),
        Optional.empty());

    LeafIndex own = null;
    byte[] ownLeaf = kp.leafNode().toBytes();
    for (LeafIndex m : tree.members()) {
      if (Arrays.equals(tree.leaf(m).toBytes(), ownLeaf)) {
        own = m;
        break;
      }
    }
    if (own == null) {
      throw invalid("this key package's leaf is not in the tree");
    }
    TreePrivateKeys keys = TreePrivateKeys.ofLeaf(own, bundle.encryptionPrivateKey());
    if (gs.pathSecret() != null) {
      NodeIndex at = lowestCommonPathNode(tree, own, gi.signer());
      try {
        keys = TreePrivateKeys.fromPathSecret(tree, own, bundle.encryptionPrivateKey(), at,
            gs.pathSecret().pathSecret());
      } catch (InvalidTreeException e) {
        throw invalid("path secret does not match the tree", e);
      }
    }
    if (!keys.matches(tree)) {
      throw invalid("the key package's private keys do not match its leaf");
    }
    EpochSecrets secrets = ks.fromJoinerSecret(gs.joinerSecret(), pskSecret, ctx);
    if (!TranscriptHash.verifyConfirmationTag(suite, secrets.confirmationKey(),
        ctx.confirmedTranscriptHash(), gi.confirmationTag())) {
      throw new MessageRejectedException(RejectReason.BAD_CONFIRMATION_TAG,
          "GroupInfo confirmation tag does not match");
    }
    return firstState(suite, ctx, tree, own, bundle.signatureKeyPair().privateKey(), keys,
        secrets, gi.confirmationTag(), options);
  }

  /** The lowest node of {@code own}'s filtered direct path that is above {@code committer}. */
  private static NodeIndex lowestCommonPathNode(RatchetTree tree, LeafIndex own,
      LeafIndex committer) throws MessageRejectedException {
    for (NodeIndex n : tree.filteredDirectPath(own)) {
      if (TreeMath.isAncestorOrSelf(n.value(), 2 * committer.value())) {
        return n;
      }
    }
    throw invalid("no node above both this member and the GroupInfo signer");
  }

  /**
   * The tree of {@code gi} (its ratchet_tree extension, else the one given out of band),
   * validated (§12.4.3.1): every leaf and parent hash, the tree hash against the GroupContext,
   * and the GroupInfo signature by its signer's leaf. Leaves still sourced from a key package
   * (including a Welcome joiner's own) must be valid at {@code now} (§7.3: the joiner SHOULD
   * check; INVALID_LIFETIME). Leaves that went through an Update or Commit carry no lifetime, so
   * a member added long ago that never updated makes joins fail once its key package expired.
   * {@code leaving} (a resync joiner's own old leaf, which its commit removes) is exempt.
   */
  static RatchetTree verifiedTree(CipherSuite suite, GroupInfo gi,
      Optional<RatchetTree> outOfBandTree, Instant now, Optional<LeafIndex> leaving)
      throws MessageRejectedException {
    GroupContext ctx = gi.groupContext();
    RatchetTree tree;
    Optional<Extension> ext = gi.extension(ExtensionType.RATCHET_TREE);
    try {
      if (ext.isPresent()) {
        tree = RatchetTree.decode(suite, ext.get().extensionData());
      } else {
        tree = outOfBandTree.orElseThrow(() -> invalid("no ratchet tree in GroupInfo or given"))
            .copy();
      }
    } catch (DecodeException e) {
      throw invalid("ratchet_tree extension does not decode", e);
    }
    for (LeafIndex m : tree.members()) {
      LeafNode leaf = tree.leaf(m);
      if (leaf.source() == LeafNodeSource.KEY_PACKAGE && !leaf.lifetime().contains(now)
          && !leaving.map(m::equals).orElse(false)) {
        // Named before the other leaf rules so the rejection says which rule failed;
        // validateTree below checks the same with the same instant.
        throw new MessageRejectedException(RejectReason.INVALID_LIFETIME, "lifetime of leaf "
            + m.value() + " does not cover " + now.getEpochSecond() + " (§7.3, §12.4.3.1)");
      }
    }
    try {
      // With an exempt leaf the loop above is the only lifetime check (the validator has no
      // exemptions); otherwise the validator checks the same again.
      TreeValidator.validateTree(tree, ProposalApplier.validationContext(ctx.groupId(),
          ctx.extensions(), leaving.isPresent() ? null : now));
    } catch (InvalidTreeException e) {
      throw new MessageRejectedException(RejectReason.INVALID_TREE, e.getMessage(), e);
    }
    if (!Arrays.equals(tree.treeHash(), ctx.treeHash())) {
      throw new MessageRejectedException(RejectReason.INVALID_TREE,
          "tree hash differs from the GroupContext's");
    }
    LeafNode signer = tree.leaf(gi.signer());
    if (signer == null || !gi.verifySignature(suite, signer.signatureKey())) {
      throw new MessageRejectedException(RejectReason.BAD_SIGNATURE,
          "GroupInfo signature does not verify");
    }
    return tree;
  }

  static GroupState firstState(CipherSuite suite, GroupContext ctx, RatchetTree tree,
      LeafIndex own, byte[] signaturePrivateKey, TreePrivateKeys keys, EpochSecrets secrets,
      byte[] confirmationTag, GroupOptions options) {
    byte[] interim = TranscriptHash.interim(suite, ctx.confirmedTranscriptHash(), confirmationTag);
    return new GroupState(suite, ctx, tree, own, signaturePrivateKey, keys,
        CommitFlow.stripped(secrets),
        options.secretTree(suite, secrets.encryptionSecret(), tree.leafCount()),
        interim, confirmationTag, ProposalCache.EMPTY, List.of(), List.of(), options, true);
  }

  // ------------------------------------------------------------------ external commit

  /** An external joiner's first state and the commit the group must process. */
  record External(GroupState state, MLSMessage commit) {}

  static External external(CipherSuite suite, GroupInfo gi, Optional<RatchetTree> outOfBandTree,
      Credential credential, SignatureKeyPair signer, Capabilities capabilities,
      GroupOptions options, Optional<LeafIndex> resyncRemove) throws MlsException {
    return external(suite, gi, outOfBandTree, credential, signer, capabilities, options,
        resyncRemove, true);
  }

  /**
   * As above; {@code checkIdentity} false skips the joiner's own identity check of the resync
   * target, so tests can build the hostile commit receivers must reject.
   */
  static External external(CipherSuite suite, GroupInfo gi, Optional<RatchetTree> outOfBandTree,
      Credential credential, SignatureKeyPair signer, Capabilities capabilities,
      GroupOptions options, Optional<LeafIndex> resyncRemove, boolean checkIdentity)
      throws MlsException {
    GroupContext ctx = gi.groupContext();
    if (ctx.cipherSuite() != suite.id()) {
      throw invalid("GroupInfo cipher suite differs from the given suite");
    }
    RatchetTree tree = verifiedTree(suite, gi, outOfBandTree, options.clock().instant(),
        resyncRemove);
    List<ProposalOrRef> proposals = new java.util.ArrayList<>();
    if (resyncRemove.isPresent()) {
      // §12.2 resync: remove our own old leaf, as receivers apply the Remove before placing us.
      LeafIndex old = resyncRemove.get();
      LeafNode oldLeaf = old.value() < tree.leafCount() ? tree.leaf(old) : null;
      if (oldLeaf == null) {
        throw new GroupStateException("resync target " + old.value() + " is not a member");
      }
      if (checkIdentity && !CommitFlow.sameIdentity(oldLeaf.credential(), credential)) {
        throw new GroupStateException("resync target " + old.value()
            + " has another identity than the joiner (§12.2)");
      }
      tree.removeLeaf(old);
      proposals.add(new ProposalOrRef.ByValue(Proposal.Remove.of(old)));
    }
    Extension pubExt = gi.extension(ExtensionType.EXTERNAL_PUB)
        .orElseThrow(() -> invalid("GroupInfo has no external_pub extension"));
    ExternalPub pub;
    try {
      pub = ExternalPub.fromExtension(pubExt);
    } catch (DecodeException e) {
      throw invalid("bad external_pub extension", e);
    }
    KeySchedule ks = new KeySchedule(suite);
    HpkeExport init = ks.externalInitSender(pub.externalPub());
    Proposal.ExternalInit ei = new Proposal.ExternalInit(init.kemOutput());
    proposals.add(0, new ProposalOrRef.ByValue(ei));

    // Our leaf goes where an Add would put it; TreeKem replaces its keys and signs it.
    HpkeKeyPair placeholder = suite.generateHpkeKeyPair();
    LeafNode template = new LeafNode(placeholder.publicKey(), signer.publicKey(), credential,
        capabilities, LeafNodeSource.UPDATE, null, null, List.of(), new byte[0]);
    LeafIndex own = tree.addLeaf(template);
    long nextEpoch = ctx.epoch() + 1;
    TreeKem.Prepared prepared = TreeKem.prepare(tree, own, template, signer.privateKey(),
        ctx.groupId(), List.of());
    UpdatePath path = prepared.encrypt(new GroupContext(suite.id(), ctx.groupId(), nextEpoch,
        tree.treeHash(), ctx.confirmedTranscriptHash(), ctx.extensions()));
    Commit commit = new Commit(List.copyOf(proposals), path);
    FramedContent fc = new FramedContent(ctx.groupId(), ctx.epoch(), new Sender.NewMemberCommit(),
        new byte[0], commit);
    byte[] sig = org.quicproquo.mls.framing.ContentSignature.sign(suite,
        WireFormat.MLS_PUBLIC_MESSAGE, fc, ctx, signer.privateKey());
    AuthenticatedContent unconfirmed = new AuthenticatedContent(WireFormat.MLS_PUBLIC_MESSAGE, fc,
        new FramedContentAuthData(sig, new byte[0]));
    byte[] interimBefore = TranscriptHash.interim(suite, ctx.confirmedTranscriptHash(),
        gi.confirmationTag());
    byte[] cth = TranscriptHash.confirmed(suite, interimBefore, unconfirmed);
    GroupContext next = new GroupContext(suite.id(), ctx.groupId(), nextEpoch, tree.treeHash(),
        cth, ctx.extensions());
    EpochSecrets secrets = ks.advance(init.secret(), prepared.commitSecret(), ks.zero(), next);
    byte[] tag = TranscriptHash.confirmationTag(suite, secrets.confirmationKey(), cth);
    AuthenticatedContent ac = new AuthenticatedContent(WireFormat.MLS_PUBLIC_MESSAGE, fc,
        new FramedContentAuthData(sig, tag));
    PublicMessage pm = PublicMessageProtection.protect(suite, ac, ctx, null);
    GroupState state = firstState(suite, next, tree, own, signer.privateKey(),
        prepared.privateKeys(), secrets, tag, options);
    return new External(state, MLSMessage.of(pm));
  }

  private static MessageRejectedException invalid(String message) {
    return new MessageRejectedException(RejectReason.INVALID_WELCOME, message);
  }

  private static MessageRejectedException invalid(String message, Throwable cause) {
    return new MessageRejectedException(RejectReason.INVALID_WELCOME, message, cause);
  }
}

package org.quicproquo.mls.group;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CryptoException;
import org.quicproquo.mls.crypto.HpkeCiphertext;
import org.quicproquo.mls.framing.TranscriptHash;
import org.quicproquo.mls.message.AuthenticatedContent;
import org.quicproquo.mls.message.Commit;
import org.quicproquo.mls.message.EncryptedGroupSecrets;
import org.quicproquo.mls.message.Extension;
import org.quicproquo.mls.message.ExternalPub;
import org.quicproquo.mls.message.FramedContent;
import org.quicproquo.mls.message.FramedContentAuthData;
import org.quicproquo.mls.message.GroupContext;
import org.quicproquo.mls.message.GroupInfo;
import org.quicproquo.mls.message.GroupInfoTBS;
import org.quicproquo.mls.message.GroupSecrets;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.PathSecret;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.ProposalListException;
import org.quicproquo.mls.message.ProposalListRules;
import org.quicproquo.mls.message.ProposalOrRef;
import org.quicproquo.mls.message.Sender;
import org.quicproquo.mls.message.Welcome;
import org.quicproquo.mls.message.WireFormat;
import org.quicproquo.mls.message.ExtensionType;
import org.quicproquo.mls.schedule.EpochSecrets;
import org.quicproquo.mls.schedule.KeySchedule;
import org.quicproquo.mls.schedule.SecretTree;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.InvalidTreeException;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.LeafNode;
import org.quicproquo.mls.tree.LeafNodeSource;
import org.quicproquo.mls.tree.NodeIndex;
import org.quicproquo.mls.tree.RatchetTree;
import org.quicproquo.mls.tree.TreeKem;
import org.quicproquo.mls.tree.TreePrivateKeys;
import org.quicproquo.mls.tree.TreeValidator;
import org.quicproquo.mls.tree.UpdatePath;

/**
 * Creating and processing Commits (RFC 9420 §12.4). Both directions build the next epoch's
 * {@link GroupState} from scratch out of copies; the input state is never changed.
 */
final class CommitFlow {
  private CommitFlow() {}

  /** Welcome label of EncryptWithLabel (§12.4.3.1). */
  static final String WELCOME_LABEL = "Welcome";

  /** A commit this member created: the sender's state after sealing and the staged next epoch. */
  record Created(GroupState current, GroupState next, MLSMessage commit, Optional<Welcome> welcome,
      GroupInfo groupInfo, List<Member> added, List<Member> removed) {}

  /** A commit this member processed. */
  record Processed(GroupState next, GroupEvent.CommitApplied event) {}

  // ------------------------------------------------------------------ create

  static Created create(GroupState s, List<Proposal> inline, ExternalPsks psks,
      byte[] authenticatedData) throws MlsException {
    return create(s, inline, psks, authenticatedData, true);
  }

  /**
   * As {@link #create(GroupState, List, ExternalPsks, byte[])}; with {@code forcePath} false the
   * path is left out when no covered proposal requires one (what other implementations send for
   * add-only commits; kept package-private so this library's own commits always renew keys).
   */
  static Created create(GroupState s, List<Proposal> inline, ExternalPsks psks,
      byte[] authenticatedData, boolean forcePath) throws MlsException {
    CipherSuite suite = s.suite();
    LeafIndex own = s.ownLeaf();
    Sender self = Sender.member(own);
    // One instant for the whole commit, so the trial applications below and the real one agree.
    Instant now = s.options().clock().instant();
    for (Proposal p : inline) {
      if (p instanceof Proposal.Add a) {
        ProposalApplier.checkLifetime(a.keyPackage(), now);
      }
    }

    // Cached proposals (by reference), skipping our own Updates (§12.2: a committer may not
    // cover them), Removes of ourselves, and later proposals touching a leaf an earlier one
    // already touched.
    List<ProposalOrRef> cachedRefs = new ArrayList<>();
    List<ProposalApplier.Covered> cached = new ArrayList<>();
    Set<Integer> touched = new HashSet<>();
    for (ProposalCache.Entry e : s.proposals().entries()) {
      Proposal p = e.proposal();
      Integer leaf = touchedLeaf(p, e.sender());
      if (p instanceof Proposal.Update && e.sender().equals(self)) {
        continue;
      }
      if (p instanceof Proposal.Remove r && r.leafIndex().map(own::equals).orElse(false)) {
        continue;
      }
      if (leaf != null && !touched.add(leaf)) {
        continue;
      }
      cachedRefs.add(new ProposalOrRef.ByReference(e.ref()));
      cached.add(new ProposalApplier.Covered(p, e.sender()));
    }
    List<ProposalOrRef> inlineRefs = new ArrayList<>();
    List<ProposalApplier.Covered> inlineCovered = new ArrayList<>();
    for (Proposal p : inline) {
      inlineRefs.add(new ProposalOrRef.ByValue(p));
      inlineCovered.add(new ProposalApplier.Covered(p, self));
    }
    // Cover every cached proposal if together they are valid; otherwise keep, in order, those
    // that stay valid with what was kept before, so one bad proposal cannot block the group.
    // Inline proposals are the caller's request: if they are invalid, the commit fails.
    List<ProposalOrRef> refs = new ArrayList<>();
    List<ProposalApplier.Covered> covered = new ArrayList<>();
    // With nothing cached there is nothing to choose (and no trial application to pay for): the
    // inline proposals are checked when they are applied below.
    if (cached.isEmpty() || acceptable(s, self, join(cachedRefs, inlineRefs),
        join(cached, inlineCovered), psks, now)) {
      refs.addAll(cachedRefs);
      covered.addAll(cached);
    } else {
      // §12.1.5: "the committer SHOULD prefer [other proposals] over the ReInit proposal", so a
      // ReInit is tried last and goes in only if nothing else was covered.
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < cached.size(); i++) {
        if (!(cached.get(i).proposal() instanceof Proposal.ReInit)) {
          order.add(i);
        }
      }
      for (int i = 0; i < cached.size(); i++) {
        if (cached.get(i).proposal() instanceof Proposal.ReInit) {
          order.add(i);
        }
      }
      for (int i : order) {
        List<ProposalOrRef> tryRefs = join(refs, List.of(cachedRefs.get(i)));
        List<ProposalApplier.Covered> tryCovered = join(covered, List.of(cached.get(i)));
        if (acceptable(s, self, join(tryRefs, inlineRefs), join(tryCovered, inlineCovered),
            psks, now)) {
          refs = tryRefs;
          covered = tryCovered;
        }
      }
    }
    refs.addAll(inlineRefs);
    covered.addAll(inlineCovered);
    checkListRules(self, rulesView(self, refs, covered), forcePath
        || ProposalListRules.pathRequired(rulesView(self, refs, covered)));

    RatchetTree tree = s.tree().copy();
    ProposalApplier.Applied applied = ProposalApplier.apply(suite, s.context(), tree, covered,
        Optional.of(own), now);
    List<Extension> extensions = applied.newExtensions().orElse(s.context().extensions());
    long nextEpoch = s.epoch() + 1;
    byte[] oldCth = s.context().confirmedTranscriptHash();

    // By default always send a path: most commits need one and it gives post-compromise
    // security.
    TreeKem.Prepared prepared = null;
    UpdatePath updatePath = null;
    byte[] commitSecret = new byte[suite.hashLength()];
    TreePrivateKeys keys = prune(s.privateKeys(), tree);
    if (forcePath || applied.pathRequired()) {
      prepared = TreeKem.prepare(tree, own, tree.leaf(own), s.signaturePrivateKey(), s.groupId(),
          applied.addedLeaves());
      updatePath = prepared.encrypt(new GroupContext(suite.id(), s.groupId(), nextEpoch,
          tree.treeHash(), oldCth, extensions));
      commitSecret = prepared.commitSecret();
      keys = prepared.privateKeys();
    }

    Commit commit = new Commit(refs, updatePath);
    WireFormat wf = s.options().encryptHandshake() ? WireFormat.MLS_PRIVATE_MESSAGE
        : WireFormat.MLS_PUBLIC_MESSAGE;
    FramedContent fc = new FramedContent(s.groupId(), s.epoch(), self, authenticatedData, commit);
    AuthenticatedContent unconfirmed = Framer.sign(s, wf, fc, new byte[0]);
    byte[] cth = TranscriptHash.confirmed(suite, s.interimTranscriptHash(), unconfirmed);
    GroupContext next = new GroupContext(suite.id(), s.groupId(), nextEpoch, tree.treeHash(), cth,
        extensions);

    byte[] pskSecret = Psks.secret(suite, applied.psks(), psks, s);
    KeySchedule ks = new KeySchedule(suite);
    EpochSecrets secrets = ks.advance(s.secrets().initSecret(), commitSecret, pskSecret, next);
    byte[] tag = TranscriptHash.confirmationTag(suite, secrets.confirmationKey(), cth);
    AuthenticatedContent ac = new AuthenticatedContent(wf, fc,
        new FramedContentAuthData(unconfirmed.auth().signature(), tag));
    Framer.Sealed sealed = Framer.seal(s, ac);

    GroupState nextState = nextState(s.withSecretTree(sealed.secretTree()), next, tree, own,
        keys, secrets, tag);
    GroupInfo groupInfo = groupInfo(nextState);
    if (applied.reInit().isPresent()) {
      nextState = nextState.deactivated();
    }

    Optional<Welcome> welcome = Optional.empty();
    List<Member> added = new ArrayList<>();
    if (!applied.addedLeaves().isEmpty()) {
      byte[] welcomeSecret = secrets.welcomeSecret();
      byte[] encryptedGroupInfo = suite.aeadSeal(ks.welcomeKey(welcomeSecret),
          ks.welcomeNonce(welcomeSecret), new byte[0], groupInfo.toBytes());
      List<byte[]> initKeys = new ArrayList<>();
      List<byte[]> plaintexts = new ArrayList<>();
      for (int i = 0; i < applied.addedLeaves().size(); i++) {
        LeafIndex leaf = applied.addedLeaves().get(i);
        KeyPackage kp = applied.addedKeyPackages().get(i);
        GroupSecrets gs = new GroupSecrets(secrets.joinerSecret(),
            prepared == null ? null : new PathSecret(prepared.pathSecretFor(leaf).secret()),
            applied.psks());
        initKeys.add(kp.initKey());
        plaintexts.add(gs.toBytes());
        added.add(new Member(leaf, kp.leafNode().credential(), kp.leafNode().signatureKey()));
      }
      List<HpkeCiphertext> cts = suite.encryptWithLabel(initKeys, plaintexts, WELCOME_LABEL,
          encryptedGroupInfo);
      List<EncryptedGroupSecrets> egs = new ArrayList<>();
      for (int i = 0; i < cts.size(); i++) {
        egs.add(new EncryptedGroupSecrets(applied.addedKeyPackages().get(i).ref(suite),
            cts.get(i)));
      }
      welcome = Optional.of(new Welcome(suite.id(), egs, encryptedGroupInfo));
    }
    return new Created(s.withSecretTree(sealed.secretTree()), nextState, sealed.message(),
        welcome, groupInfo, added, applied.removed());
  }

  private static <T> List<T> join(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static List<ProposalListRules.CoveredProposal> rulesView(Sender self,
      List<ProposalOrRef> refs, List<ProposalApplier.Covered> covered) {
    List<ProposalListRules.CoveredProposal> out = new ArrayList<>();
    for (int i = 0; i < covered.size(); i++) {
      ProposalApplier.Covered c = covered.get(i);
      out.add(refs.get(i) instanceof ProposalOrRef.ByReference
          ? ProposalListRules.CoveredProposal.byReference(c.proposal(), c.sender())
          : ProposalListRules.CoveredProposal.byValue(c.proposal(), self));
    }
    return out;
  }

  /** Whether a commit covering {@code covered} would pass every receiver's checks. */
  private static boolean acceptable(GroupState s, Sender self, List<ProposalOrRef> refs,
      List<ProposalApplier.Covered> covered, ExternalPsks psks, Instant now) {
    try {
      checkListRules(self, rulesView(self, refs, covered), true);
      ProposalApplier.Applied a = ProposalApplier.apply(s.suite(), s.context(), s.tree().copy(),
          covered, Optional.of(s.ownLeaf()), now);
      Psks.secret(s.suite(), a.psks(), psks, s);
      return true;
    } catch (MessageRejectedException e) {
      return false;
    }
  }

  private static Integer touchedLeaf(Proposal p, Sender sender) {
    if (p instanceof Proposal.Remove r) {
      return r.leafIndex().map(LeafIndex::value).orElse(null);
    }
    if (p instanceof Proposal.Update && sender instanceof Sender.Member m) {
      return m.leafIndex().value();
    }
    return null;
  }

  /** A signed GroupInfo for {@code s} (§12.4.3): external_pub always, ratchet_tree by option. */
  static GroupInfo groupInfo(GroupState s) throws MlsException {
    List<Extension> ext = new ArrayList<>();
    if (s.options().ratchetTreeInWelcome()) {
      ext.add(new Extension(ExtensionType.RATCHET_TREE, s.tree().encode()));
    }
    ext.add(new ExternalPub(new KeySchedule(s.suite()).externalPub(s.secrets().externalSecret()))
        .toExtension());
    GroupInfoTBS tbs = new GroupInfoTBS(s.context(), ext, s.confirmationTag(), s.ownLeaf());
    return GroupInfo.sign(s.suite(), tbs, s.signaturePrivateKey());
  }

  /** The state of a new epoch; the encryption secret moves into a fresh secret tree. */
  static GroupState nextState(GroupState prev, GroupContext ctx, RatchetTree tree, LeafIndex own,
      TreePrivateKeys keys, EpochSecrets secrets, byte[] confirmationTag) {
    byte[] interim = TranscriptHash.interim(prev.suite(), ctx.confirmedTranscriptHash(),
        confirmationTag);
    SecretTree st = prev.options().secretTree(prev.suite(), secrets.encryptionSecret(),
        tree.leafCount());
    return new GroupState(prev.suite(), ctx, tree, own, prev.signaturePrivateKey(), keys,
        stripped(secrets), st, interim, confirmationTag, ProposalCache.EMPTY, prev.nextResumptionPsks(),
        prev.nextPastEpochs(),
        prev.options(), true);
  }

  /** Epoch secrets without those that must not outlive their first use (forward secrecy). */
  static EpochSecrets stripped(EpochSecrets s) {
    return new EpochSecrets(new byte[0], new byte[0], s.senderDataSecret(), new byte[0],
        s.exporterSecret(), s.externalSecret(), s.confirmationKey(), s.membershipKey(),
        s.resumptionPsk(), s.epochAuthenticator(), s.initSecret());
  }

  // ------------------------------------------------------------------ process

  static Processed process(GroupState s, AuthenticatedContent ac, ExternalPsks psks)
      throws MessageRejectedException {
    CipherSuite suite = s.suite();
    Commit commit = (Commit) ac.content().content();
    Sender sender = ac.sender();
    Optional<LeafIndex> committer = sender instanceof Sender.Member m
        ? Optional.of(m.leafIndex()) : Optional.empty();
    if (committer.isPresent() && committer.get().equals(s.ownLeaf())) {
      throw new MessageRejectedException(RejectReason.OWN_COMMIT,
          "this member's own commit: merge or discard the pending commit instead");
    }
    if (committer.isEmpty() && !(sender instanceof Sender.NewMemberCommit)) {
      throw new MessageRejectedException(RejectReason.SENDER_NOT_ALLOWED,
          "commit from " + sender.type());
    }

    List<ProposalApplier.Covered> covered = new ArrayList<>();
    List<ProposalListRules.CoveredProposal> forRules = new ArrayList<>();
    for (ProposalOrRef por : commit.proposals()) {
      if (por instanceof ProposalOrRef.ByValue v) {
        covered.add(new ProposalApplier.Covered(v.proposal(), sender));
        forRules.add(ProposalListRules.CoveredProposal.byValue(v.proposal(), sender));
      } else {
        if (committer.isEmpty()) {
          throw new MessageRejectedException(RejectReason.INVALID_PROPOSAL,
              "external commits may not cover proposals by reference");
        }
        ProposalOrRef.ByReference r = (ProposalOrRef.ByReference) por;
        ProposalCache.Entry e = s.proposals().find(r.reference()).orElseThrow(
            () -> new MessageRejectedException(RejectReason.UNKNOWN_PROPOSAL_REFERENCE,
                "commit covers a proposal this member has not received"));
        covered.add(new ProposalApplier.Covered(e.proposal(), e.sender()));
        forRules.add(ProposalListRules.CoveredProposal.byReference(e.proposal(), e.sender()));
      }
    }
    checkListRules(sender, forRules, commit.path() != null);

    RatchetTree tree = s.tree().copy();
    Instant now = s.options().clock().instant();
    ProposalApplier.Applied applied = ProposalApplier.apply(suite, s.context(), tree, covered,
        committer, now);
    if (committer.isEmpty() && !applied.removed().isEmpty() && commit.path() != null) {
      checkResyncIdentity(applied.removed().get(0), commit.path().leafNode());
    }
    boolean selfRemoved = applied.removed().stream()
        .anyMatch(m -> m.leafIndex().equals(s.ownLeaf()));
    if (selfRemoved) {
      // A removed member cannot decrypt the path (§12.4.2); it learns only that it is out.
      return new Processed(s.deactivated(), new GroupEvent.CommitApplied(sender, List.of(),
          applied.removed(), List.of(), s.epoch() + 1, true, applied.reInit()));
    }
    UpdatePath path = commit.path();
    if (path == null && (applied.pathRequired() || committer.isEmpty())) {
      throw new MessageRejectedException(RejectReason.INVALID_PATH,
          "commit has no path but one is required");
    }
    List<Extension> extensions = applied.newExtensions().orElse(s.context().extensions());
    long nextEpoch = s.epoch() + 1;
    byte[] oldCth = s.context().confirmedTranscriptHash();

    byte[] commitSecret;
    TreePrivateKeys keys = ownUpdateKey(s, commit).map(k -> s.privateKeys()
        .with(s.ownLeaf().node(), k)).orElse(s.privateKeys());
    keys = prune(keys, tree);
    LeafIndex senderLeaf;
    List<Member> updated = new ArrayList<>();
    try {
      var vctx = ProposalApplier.validationContext(s.groupId(), extensions, now);
      if (committer.isPresent()) {
        senderLeaf = committer.get();
      } else {
        Framer.verifyNewMemberCommit(s, ac, path.leafNode());
        TreeValidator.validateLeaf(tree, ProposalApplier.firstBlankOrEnd(tree), path.leafNode(),
            LeafNodeSource.COMMIT, vctx);
        // TreeKem.merge replaces an existing leaf and insists the new one changes its encryption
        // key, so the joiner's slot is first taken by a stand-in with a throw-away key.
        senderLeaf = tree.addLeaf(path.leafNode().withEncryptionKey(
            suite.generateHpkeKeyPair().publicKey()));
      }
      if (path != null) {
        TreeKem.Merged merged = TreeKem.merge(tree, senderLeaf, path, vctx,
            applied.addedLeaves());
        GroupContext provisional = new GroupContext(suite.id(), s.groupId(), nextEpoch,
            tree.treeHash(), oldCth, extensions);
        TreeKem.Received r = merged.decrypt(provisional, keys);
        commitSecret = r.commitSecret();
        keys = r.privateKeys();
        if (committer.isPresent()) {
          updated.add(memberAt(tree, senderLeaf));
        }
      } else {
        commitSecret = new byte[suite.hashLength()];
      }
    } catch (InvalidTreeException e) {
      throw new MessageRejectedException(RejectReason.INVALID_PATH, e.getMessage(), e);
    } catch (CryptoException e) {
      throw new MessageRejectedException(RejectReason.INVALID_PATH,
          "path secret does not decrypt", e);
    }
    for (LeafIndex u : applied.updatedLeaves()) {
      updated.add(memberAt(tree, u));
    }

    byte[] cth = TranscriptHash.confirmed(suite, s.interimTranscriptHash(), ac);
    GroupContext next = new GroupContext(suite.id(), s.groupId(), nextEpoch, tree.treeHash(), cth,
        extensions);
    KeySchedule ks = new KeySchedule(suite);
    byte[] initSecret = s.secrets().initSecret();
    if (applied.externalInit().isPresent()) {
      try {
        initSecret = ks.externalInitReceiver(s.secrets().externalSecret(),
            applied.externalInit().get().kemOutput());
      } catch (CryptoException e) {
        throw new MessageRejectedException(RejectReason.INVALID_PROPOSAL,
            "ExternalInit kem_output does not decapsulate", e);
      }
    }
    byte[] pskSecret = Psks.secret(suite, applied.psks(), psks, s);
    EpochSecrets secrets = ks.advance(initSecret, commitSecret, pskSecret, next);
    if (!TranscriptHash.verifyConfirmationTag(suite, secrets.confirmationKey(), cth,
        ac.auth().confirmationTag())) {
      throw new MessageRejectedException(RejectReason.BAD_CONFIRMATION_TAG,
          "confirmation tag does not match");
    }
    GroupState nextState = nextState(s, next, tree, s.ownLeaf(), keys, secrets,
        ac.auth().confirmationTag());
    if (applied.reInit().isPresent()) {
      // §11.2: the old group ends with the ReInit commit; its members continue in the new group.
      nextState = nextState.deactivated();
    }
    List<Member> added = new ArrayList<>();
    for (LeafIndex l : applied.addedLeaves()) {
      added.add(memberAt(tree, l));
    }
    if (committer.isEmpty()) {
      added.add(memberAt(tree, senderLeaf));
    }
    return new Processed(nextState, new GroupEvent.CommitApplied(sender, added,
        applied.removed(), updated, nextEpoch, false, applied.reInit()));
  }

  /**
   * §12.2: an external commit's Remove may only remove "an old version of" the joiner; the new
   * leaf "MUST meet the same criteria as would the LeafNode in an Update for the removed leaf",
   * i.e. present the removed member's identity. This library's identity rule: the same
   * credential type and the same basic identity (for other credential types, the same
   * credential).
   */
  static void checkResyncIdentity(Member removed, LeafNode joiner)
      throws MessageRejectedException {
    if (!sameIdentity(removed.credential(), joiner.credential())) {
      throw new MessageRejectedException(RejectReason.EXTERNAL_REMOVE_NOT_JOINER,
          "external commit removes leaf " + removed.leafIndex().value()
              + ", whose identity is not the joiner's (§12.2)");
    }
  }

  static boolean sameIdentity(Credential a, Credential b) {
    if (a instanceof Credential.Basic x && b instanceof Credential.Basic y) {
      return java.util.Arrays.equals(x.identity(), y.identity());
    }
    return a.equals(b);
  }

  /** The list-only rules of §12.2 / §12.4.3.2, as the message layer states them. */
  private static void checkListRules(Sender committer,
      List<ProposalListRules.CoveredProposal> covered, boolean hasPath)
      throws MessageRejectedException {
    try {
      ProposalListRules.check(committer, covered, hasPath);
    } catch (ProposalListException e) {
      RejectReason reason = switch (e.rule()) {
        case PATH_REQUIRED, EXTERNAL_COMMIT_WITHOUT_PATH -> RejectReason.INVALID_PATH;
        case COMMITTER_SENDER_TYPE, PROPOSAL_SENDER_TYPE -> RejectReason.SENDER_NOT_ALLOWED;
        default -> RejectReason.INVALID_PROPOSAL;
      };
      throw new MessageRejectedException(reason, e.getMessage(), e);
    }
  }

  static Member memberAt(RatchetTree tree, LeafIndex leaf) {
    LeafNode n = tree.leaf(leaf);
    return new Member(leaf, n.credential(), n.signatureKey());
  }

  /** Drops keys of nodes that proposals blanked (they must not outlive their node). */
  private static TreePrivateKeys prune(TreePrivateKeys keys, RatchetTree tree) {
    List<NodeIndex> gone = new ArrayList<>();
    for (NodeIndex n : keys.nodes()) {
      if (n.value() >= tree.nodeCount() || tree.node(n) == null) {
        gone.add(n);
      }
    }
    return gone.isEmpty() ? keys : keys.without(gone);
  }

  /**
   * If {@code commit} covers an Update this member proposed, the private key of the leaf that
   * Update installs.
   */
  private static Optional<byte[]> ownUpdateKey(GroupState s, Commit commit) {
    for (ProposalOrRef por : commit.proposals()) {
      if (por instanceof ProposalOrRef.ByReference r) {
        Optional<ProposalCache.Entry> e = s.proposals().find(r.reference());
        if (e.isPresent() && e.get().ownLeafPrivateKey() != null) {
          return Optional.of(e.get().ownLeafPrivateKey());
        }
      }
    }
    return Optional.empty();
  }
}

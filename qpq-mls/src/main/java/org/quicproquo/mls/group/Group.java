package org.quicproquo.mls.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.HpkeKeyPair;
import org.quicproquo.mls.crypto.SignatureKeyPair;
import org.quicproquo.mls.framing.TranscriptHash;
import org.quicproquo.mls.message.ApplicationData;
import org.quicproquo.mls.message.AuthenticatedContent;
import org.quicproquo.mls.message.Commit;
import org.quicproquo.mls.message.ContentType;
import org.quicproquo.mls.message.Extension;
import org.quicproquo.mls.message.FramedContent;
import org.quicproquo.mls.message.GroupContext;
import org.quicproquo.mls.message.GroupInfo;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.PrivateMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.ProposalRef;
import org.quicproquo.mls.message.ProposalType;
import org.quicproquo.mls.message.Sender;
import org.quicproquo.mls.message.Welcome;
import org.quicproquo.mls.message.WireFormat;
import org.quicproquo.mls.schedule.EpochSecrets;
import org.quicproquo.mls.schedule.KeySchedule;
import org.quicproquo.mls.schedule.PreSharedKeyId;
import org.quicproquo.mls.tree.Capabilities;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.InvalidTreeException;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.LeafNode;
import org.quicproquo.mls.tree.LeafNodeSource;
import org.quicproquo.mls.tree.Lifetime;
import org.quicproquo.mls.tree.RatchetTree;
import org.quicproquo.mls.tree.TreePrivateKeys;
import org.quicproquo.mls.tree.TreeValidator;

/**
 * One member's view of one MLS group (RFC 9420): the entry point of the library.
 *
 * <p>A {@code Group} is a handle on an immutable {@link GroupState}. Every operation computes a
 * complete new state from copies and only then swaps it in, so an operation that throws leaves the
 * group exactly as it was. Not thread-safe: use one group from one thread at a time.
 *
 * <pre>
 *   creator                                   joiner
 *   -------                                   ------
 *   Group.create(...)                         bundle = Group.generateKeyPackage(...)
 *   commit(proposeAdd(kp)...) -- Welcome --&gt;  Group.join(welcome, bundle, ...)
 *   mergePendingCommit()
 *   encrypt(bytes)  ------ MLSMessage -----&gt;  process(msg) -&gt; ApplicationMessage
 * </pre>
 */
public final class Group {
  private GroupState state;
  /** The next epoch as this member's own commit would make it; null when none is pending. */
  private GroupState pending;
  private ExternalPsks psks;
  /** Fingerprints of what this handle deleted, for {@link #forwardSecrecyReport()}. */
  private final DeletedSecrets deleted = new DeletedSecrets();

  private Group(GroupState state, ExternalPsks psks) {
    this.state = state;
    this.psks = psks;
  }

  // ------------------------------------------------------------------ creation

  /**
   * A fresh KeyPackage (RFC 9420 §10) for {@code credential} with new init and encryption keys.
   * The leaf advertises {@code capabilities} (which must list the credential's type and the
   * suite) and is valid for {@code lifetime}.
   */
  public static KeyPackageBundle generateKeyPackage(CipherSuite suite, Credential credential,
      SignatureKeyPair signer, Capabilities capabilities, Lifetime lifetime) throws MlsException {
    HpkeKeyPair init = suite.generateHpkeKeyPair();
    HpkeKeyPair enc = suite.generateHpkeKeyPair();
    LeafNode leaf = new LeafNode(enc.publicKey(), signer.publicKey(), credential, capabilities,
        LeafNodeSource.KEY_PACKAGE, lifetime, null, List.of(), new byte[0])
        .sign(suite, signer.privateKey(), null, null);
    KeyPackage kp = new KeyPackage(KeyPackage.MLS10, suite.id(), init.publicKey(), leaf,
        List.of(), new byte[0]).sign(suite, signer.privateKey());
    return new KeyPackageBundle(kp, init.privateKey(), enc.privateKey(), signer);
  }

  /**
   * Capabilities a leaf of this library can advertise: protocol mls10, {@code suite}, and the
   * credential type {@code credentialType}; no non-default extensions or proposals.
   */
  public static Capabilities defaultCapabilities(CipherSuite suite, int credentialType) {
    return new Capabilities(List.of(KeyPackage.MLS10), List.of(suite.id().code()), List.of(),
        List.of(), List.of(credentialType));
  }

  /**
   * A new one-member group (§11) with id {@code groupId}, the creator's leaf taken from
   * {@code creator} (whose KeyPackage is then spent and must not be published).
   */
  public static Group create(CipherSuite suite, byte[] groupId, KeyPackageBundle creator,
      List<Extension> groupExtensions, GroupOptions options) throws MlsException {
    KeyPackage kp = creator.keyPackage();
    if (kp.cipherSuite() != suite.id()) {
      throw new GroupStateException("key package is for " + kp.cipherSuite());
    }
    RatchetTree tree = RatchetTree.create(suite, kp.leafNode());
    GroupContext ctx = new GroupContext(suite.id(), groupId, 0, tree.treeHash(), new byte[0],
        groupExtensions);
    KeySchedule ks = new KeySchedule(suite);
    EpochSecrets secrets = ks.advance(ks.randomInitSecret(), ks.zero(), ks.zero(), ctx);
    byte[] tag = TranscriptHash.confirmationTag(suite, secrets.confirmationKey(), new byte[0]);
    LeafIndex own = new LeafIndex(0);
    GroupState s = JoinFlow.firstState(suite, ctx, tree, own,
        creator.signatureKeyPair().privateKey(),
        TreePrivateKeys.ofLeaf(own, creator.encryptionPrivateKey()), secrets, tag, options);
    return new Group(s, ExternalPsks.none());
  }

  /**
   * Joins from a Welcome (§12.4.3.1) with the KeyPackage it was made for. {@code ratchetTree} is
   * needed only when the Welcome's GroupInfo carries no ratchet_tree extension.
   *
   * @throws MessageRejectedException if the Welcome is not for this key package or fails any check
   */
  public static Group join(CipherSuite suite, Welcome welcome, KeyPackageBundle bundle,
      Optional<RatchetTree> ratchetTree, ExternalPsks psks, GroupOptions options)
      throws MlsException {
    return new Group(JoinFlow.fromWelcome(suite, welcome, bundle, ratchetTree, psks, options),
        psks);
  }

  /**
   * Joins by external commit (§12.4.3.2) from a GroupInfo with an external_pub extension. The
   * returned group is already in the new epoch; send the returned commit to the group.
   */
  public static ExternalJoin joinExternal(CipherSuite suite, GroupInfo groupInfo,
      Optional<RatchetTree> ratchetTree, Credential credential, SignatureKeyPair signer,
      GroupOptions options) throws MlsException {
    return joinExternal(suite, groupInfo, ratchetTree, credential, signer, options,
        Optional.empty());
  }

  /**
   * {@link #joinExternal(CipherSuite, GroupInfo, Optional, Credential, SignatureKeyPair,
   * GroupOptions)}, optionally resyncing (§12.2, §12.4.3.2): a member that lost its state rejoins
   * and the same external commit carries a Remove of {@code resyncRemove}, its old leaf. Other
   * members accept that Remove only if the old leaf's identity is the joiner's
   * ({@link RejectReason#EXTERNAL_REMOVE_NOT_JOINER} otherwise).
   *
   * @throws GroupStateException if {@code resyncRemove} is not a member of the GroupInfo's tree
   *     or its credential is not {@code credential}'s identity
   */
  public static ExternalJoin joinExternal(CipherSuite suite, GroupInfo groupInfo,
      Optional<RatchetTree> ratchetTree, Credential credential, SignatureKeyPair signer,
      GroupOptions options, Optional<LeafIndex> resyncRemove) throws MlsException {
    JoinFlow.External ext = JoinFlow.external(suite, groupInfo, ratchetTree, credential, signer,
        defaultCapabilities(suite, credential.credentialType()), options, resyncRemove);
    return new ExternalJoin(new Group(ext.state(), ExternalPsks.none()), ext.commit());
  }

  /**
   * Restores a group saved with {@link #save()}; throws GroupStateException on a bad encoding.
   * The saved bytes hold no clock: lifetimes are checked against {@link java.time.Clock#systemUTC()}.
   */
  public static Group restore(byte[] saved, java.security.SecureRandom random)
      throws GroupStateException {
    return restore(saved, random, java.time.Clock.systemUTC());
  }

  /**
   * {@link #restore(byte[], java.security.SecureRandom)} with {@code clock} as the
   * {@link GroupOptions#clock()} of the restored group (the clock is never saved).
   */
  public static Group restore(byte[] saved, java.security.SecureRandom random,
      java.time.Clock clock) throws GroupStateException {
    Objects.requireNonNull(clock, "clock");
    StateCodec.Saved s = StateCodec.decode(saved, random);
    Group g = new Group(s.state().withOptions(s.state().options().withClock(clock)), s.psks());
    g.pending = s.pending() == null ? null
        : s.pending().withOptions(s.pending().options().withClock(clock));
    return g;
  }

  // ------------------------------------------------------------------ queries

  /** The current epoch (§8.1); a merged or processed commit increments it. */
  public long epoch() {
    return state.epoch();
  }

  /** The group id (a copy). */
  public byte[] groupId() {
    return state.groupId();
  }

  /** This member's leaf. */
  public LeafIndex ownLeafIndex() {
    return state.ownLeaf();
  }

  /**
   * False once this member was removed, or once a commit covering a ReInit was applied (§11.2:
   * the group continues as a new one): the group then accepts nothing further.
   */
  public boolean isActive() {
    return state.active();
  }

  /** The current members, by leaf index. */
  public List<Member> members() {
    List<Member> out = new ArrayList<>();
    for (LeafIndex l : state.tree().members()) {
      out.add(CommitFlow.memberAt(state.tree(), l));
    }
    return out;
  }

  /** epoch_authenticator of the current epoch (§8.7): equal for all members in the same epoch. */
  public byte[] epochAuthenticator() {
    return state.secrets().epochAuthenticator();
  }

  /** MLS-Exporter(label, context, length) of the current epoch (§8.5). */
  public byte[] exportSecret(String label, byte[] context, int length) {
    if (length < 0 || length > 255 * state.suite().hashLength()) {
      throw new IllegalArgumentException("export length out of range: " + length);
    }
    return new KeySchedule(state.suite()).export(state.secrets().exporterSecret(), label, context,
        length);
  }

  /** The current GroupContext (§8.1). */
  public GroupContext groupContext() {
    return state.context();
  }

  /** A signed GroupInfo of the current epoch, for external joiners (§12.4.3). */
  public GroupInfo groupInfo() throws MlsException {
    return CommitFlow.groupInfo(state);
  }

  /** The current ratchet tree (a copy). */
  public RatchetTree ratchetTree() {
    return state.tree().copy();
  }

  /** True while a commit of this member awaits {@link #mergePendingCommit()}. */
  public boolean hasPendingCommit() {
    return pending != null;
  }

  /** Adds (or replaces) an external PSK this member knows (§8.4). */
  public void addExternalPsk(byte[] pskId, byte[] secret) {
    psks = psks.with(pskId, secret);
  }

  // ------------------------------------------------------------------ proposals

  /**
   * Proposes adding the owner of {@code keyPackage} (§12.1.1).
   *
   * @throws MessageRejectedException {@link RejectReason#INVALID_LIFETIME} if the key package's
   *     lifetime does not cover the time of {@link GroupOptions#clock()} (§10.1)
   */
  public MLSMessage proposeAdd(KeyPackage keyPackage) throws MlsException {
    requireActive();
    ProposalApplier.checkLifetime(keyPackage, state.options().clock().instant());
    return propose(new Proposal.Add(keyPackage), null);
  }

  /** Proposes removing the member at {@code leaf} (§12.1.3). */
  public MLSMessage proposeRemove(LeafIndex leaf) throws MlsException {
    return propose(Proposal.Remove.of(leaf), null);
  }

  /** Proposes replacing this member's leaf with one with a fresh encryption key (§12.1.2). */
  public MLSMessage proposeUpdate() throws MlsException {
    requireActive();
    CipherSuite suite = state.suite();
    HpkeKeyPair enc = suite.generateHpkeKeyPair();
    LeafNode leaf = state.tree().leaf(state.ownLeaf()).withEncryptionKey(enc.publicKey())
        .withSource(LeafNodeSource.UPDATE, null, null)
        .sign(suite, state.signaturePrivateKey(), state.groupId(), state.ownLeaf());
    return propose(new Proposal.Update(leaf), enc.privateKey());
  }

  /** Proposes injecting a pre-shared key (§12.1.4); the PSK must be known to all members. */
  public MLSMessage proposePsk(PreSharedKeyId psk) throws MlsException {
    return propose(new Proposal.PreSharedKey(psk), null);
  }

  /** Proposes replacing the group context extensions (§12.1.7). */
  public MLSMessage proposeGroupContextExtensions(List<Extension> extensions)
      throws MlsException {
    return propose(new Proposal.GroupContextExtensions(extensions), null);
  }

  /** Proposes reinitialising the group with new parameters (§12.1.5). */
  public MLSMessage proposeReInit(byte[] newGroupId, CipherSuite newSuite,
      List<Extension> extensions) throws MlsException {
    return propose(new Proposal.ReInit(newGroupId, KeyPackage.MLS10, newSuite.id().code(),
        extensions), null);
  }

  private MLSMessage propose(Proposal p, byte[] ownLeafKey) throws MlsException {
    requireActive();
    GroupState s = state;
    WireFormat wf = s.options().encryptHandshake() ? WireFormat.MLS_PRIVATE_MESSAGE
        : WireFormat.MLS_PUBLIC_MESSAGE;
    Sender self = Sender.member(s.ownLeaf());
    FramedContent fc = new FramedContent(s.groupId(), s.epoch(), self, new byte[0], p);
    AuthenticatedContent ac = Framer.sign(s, wf, fc, null);
    Framer.Sealed sealed = Framer.seal(s, ac);
    ProposalRef ref = ProposalRef.of(s.suite(), ac);
    state = s.withSecretTree(sealed.secretTree())
        .withProposals(s.proposals().with(new ProposalCache.Entry(ref, p, self, ownLeafKey)));
    noteKey(s.epoch(), s.ownLeaf(), ContentType.PROPOSAL, sealed.usedKey());
    return sealed.message();
  }

  // ------------------------------------------------------------------ commits

  /**
   * Commits all proposals received this epoch plus {@code inline} ones (§12.4). The group stays in
   * its epoch until {@link #mergePendingCommit()}. Cached proposals that are no longer valid (for
   * example an Add whose key package has expired since it was proposed) are left out.
   *
   * @throws GroupStateException if a commit is already pending or this member was removed
   * @throws MessageRejectedException if an inline proposal is invalid, e.g.
   *     {@link RejectReason#INVALID_LIFETIME} for an Add whose key package's lifetime does not
   *     cover the time of {@link GroupOptions#clock()}
   */
  public CommitResult commit(List<Proposal> inline) throws MlsException {
    return commit(inline, true);
  }

  /**
   * {@link #commit(List)}; with {@code forcePath} false the UpdatePath is left out when no covered
   * proposal requires one (§12.4: e.g. Add-only commits), which is cheaper but gives no
   * post-compromise security for the committer's leaf. Other implementations do this by default.
   */
  public CommitResult commit(List<Proposal> inline, boolean forcePath) throws MlsException {
    requireActive();
    if (pending != null) {
      throw new GroupStateException("a commit is already pending: merge or discard it first");
    }
    CommitFlow.Created c = CommitFlow.create(state, inline, psks, new byte[0], forcePath);
    state = c.current();
    pending = c.next();
    return new CommitResult(c.commit(), c.welcome(), c.groupInfo(), c.added(), c.removed(),
        c.next().epoch());
  }

  /** Moves the group into the epoch of its pending commit. */
  public void mergePendingCommit() throws GroupStateException {
    if (pending == null) {
      throw new GroupStateException("no pending commit");
    }
    // The staged state snapshotted this epoch's secret tree when the commit was made; keys
    // consumed since then must stay consumed in the epoch that now becomes a past one.
    GroupState left = state;
    state = pending.withLatestPastSecretTree(state.secretTree());
    pending = null;
    noteEpochLeft(left);
  }

  /** Forgets the pending commit (e.g. the delivery service accepted another commit first). */
  public void discardPendingCommit() throws GroupStateException {
    if (pending == null) {
      throw new GroupStateException("no pending commit");
    }
    pending = null;
  }

  // ------------------------------------------------------------------ messages

  /**
   * Encrypts application data as a PrivateMessage of the current epoch (§6.3).
   *
   * @throws GroupStateException if this member was removed
   */
  public MLSMessage encrypt(byte[] applicationData) throws MlsException {
    requireActive();
    GroupState s = state;
    FramedContent fc = new FramedContent(s.groupId(), s.epoch(), Sender.member(s.ownLeaf()),
        new byte[0], new ApplicationData(applicationData));
    AuthenticatedContent ac = Framer.sign(s, WireFormat.MLS_PRIVATE_MESSAGE, fc, null);
    Framer.Sealed sealed = Framer.seal(s, ac);
    state = s.withSecretTree(sealed.secretTree());
    noteKey(s.epoch(), s.ownLeaf(), ContentType.APPLICATION, sealed.usedKey());
    return sealed.message();
  }

  /**
   * Processes a PublicMessage or PrivateMessage of this group (§6, §12.4.2). On success the
   * group moves to the resulting state; processing a commit by another member discards a pending
   * commit of this member. On failure nothing changes.
   *
   * @throws MessageRejectedException naming the rule the message broke
   * @throws GroupStateException if this member was removed
   */
  public GroupEvent process(MLSMessage message) throws MlsException {
    requireActive();
    GroupState s = state;
    Optional<GroupEvent> late = processLate(s, message);
    if (late.isPresent()) {
      return late.get();
    }
    Framer.Opened opened = Framer.open(s, message);
    AuthenticatedContent ac = opened.content();
    ContentType type = ac.content().contentType();
    if (type == ContentType.APPLICATION) {
      Sender.Member m = (Sender.Member) ac.sender();
      ApplicationData data = (ApplicationData) ac.content().content();
      state = s.withSecretTree(opened.secretTree());
      noteReceivedKey(s, ac, opened);
      return new GroupEvent.ApplicationMessage(m.leafIndex(), data.data(),
          ac.content().authenticatedData());
    }
    if (type == ContentType.PROPOSAL) {
      Proposal p = (Proposal) ac.content().content();
      checkStandaloneProposal(s, p, ac.sender());
      ProposalRef ref = ProposalRef.of(s.suite(), ac);
      state = s.withSecretTree(opened.secretTree())
          .withProposals(s.proposals().with(new ProposalCache.Entry(ref, p, ac.sender(), null)));
      noteReceivedKey(s, ac, opened);
      return new GroupEvent.ProposalReceived(ac.sender(), p, ref);
    }
    if (!(ac.content().content() instanceof Commit)) {
      throw new MessageRejectedException(RejectReason.MALFORMED, "unexpected content");
    }
    CommitFlow.Processed done = CommitFlow.process(s.withSecretTree(opened.secretTree()), ac,
        psks);
    state = done.next();
    pending = null;
    noteReceivedKey(s, ac, opened);
    noteEpochLeft(s);
    return done.event();
  }

  /**
   * A PrivateMessage application message of a recent past epoch (§14: it may have been sent just
   * before a commit): opened with that epoch's keys, which it consumes. Anything else of a past
   * epoch is left to {@link Framer#open}, which rejects it as WRONG_EPOCH.
   */
  private Optional<GroupEvent> processLate(GroupState s, MLSMessage message)
      throws MessageRejectedException {
    if (message.wireFormat() != WireFormat.MLS_PRIVATE_MESSAGE) {
      return Optional.empty();
    }
    PrivateMessage pm;
    try {
      pm = message.as(PrivateMessage.class);
    } catch (org.quicproquo.mls.codec.DecodeException e) {
      throw new MessageRejectedException(RejectReason.MALFORMED, e.getMessage(), e);
    }
    if (pm.epoch() >= s.epoch() || pm.contentType() != ContentType.APPLICATION) {
      return Optional.empty();
    }
    for (int i = 0; i < s.pastEpochs().size(); i++) {
      GroupState.PastEpoch past = s.pastEpochs().get(i);
      if (past.context().epoch() == pm.epoch()
          && java.util.Arrays.equals(past.context().groupId(), pm.groupId())) {
        Framer.Opened opened = Framer.open(s.viewOf(past), message);
        AuthenticatedContent ac = opened.content();
        Sender.Member m = (Sender.Member) ac.sender();
        ApplicationData data = (ApplicationData) ac.content().content();
        state = s.withPastEpoch(i, new GroupState.PastEpoch(past.context(), past.tree(),
            past.senderDataSecret(), opened.secretTree()));
        noteKey(past.context().epoch(), m.leafIndex(), ContentType.APPLICATION,
            opened.consumedKey());
        return Optional.of(new GroupEvent.ApplicationMessage(m.leafIndex(), data.data(),
            ac.content().authenticatedData()));
      }
    }
    return Optional.empty();
  }

  /** §12.1: checks a proposal can be valid on its own before it is cached. */
  private static void checkStandaloneProposal(GroupState s, Proposal p, Sender sender)
      throws MessageRejectedException {
    Optional<ProposalType> type = ProposalType.lookup(p.typeCode());
    if (type.isEmpty()) {
      throw new MessageRejectedException(RejectReason.INVALID_PROPOSAL,
          "unsupported proposal type " + p.typeCode());
    }
    if (!(sender instanceof Sender.Member) && !type.get().allowedForExternalSenders()) {
      throw new MessageRejectedException(RejectReason.SENDER_NOT_ALLOWED,
          type.get() + " may not come from " + sender.type());
    }
    try {
      if (p instanceof Proposal.ExternalInit) {
        throw new MessageRejectedException(RejectReason.INVALID_PROPOSAL,
            "ExternalInit is only valid inline in an external commit");
      } else if (p instanceof Proposal.Add a) {
        a.keyPackage().verify(s.suite());
        ProposalApplier.checkLifetime(a.keyPackage(), s.options().clock().instant());
      } else if (p instanceof Proposal.Update u) {
        LeafIndex at = ((Sender.Member) sender).leafIndex();
        TreeValidator.validateLeaf(s.tree(), at, u.leafNode(), LeafNodeSource.UPDATE,
            ProposalApplier.validationContext(s.groupId(), s.context().extensions(),
                s.options().clock().instant()));
      } else if (p instanceof Proposal.Remove r) {
        Optional<LeafIndex> leaf = r.leafIndex();
        if (leaf.isEmpty() || s.tree().leaf(leaf.get()) == null) {
          throw new MessageRejectedException(RejectReason.INVALID_PROPOSAL,
              "Remove of a leaf that is not a member");
        }
      } else if (p instanceof Proposal.PreSharedKey psk
          && psk.psk().pskNonce().length != s.suite().hashLength()) {
        throw new MessageRejectedException(RejectReason.INVALID_PROPOSAL,
            "psk_nonce length is not KDF.Nh");
      } else if (p instanceof Proposal.ReInit ri) {
        ProposalApplier.checkReInitVersion(ri);
      }
    } catch (InvalidTreeException e) {
      throw new MessageRejectedException(RejectReason.INVALID_PROPOSAL, e.getMessage(), e);
    }
  }

  // ------------------------------------------------------------------ persistence

  /**
   * The complete state (tree, private keys, epoch secrets, secret-tree state with consumed keys
   * deleted, cached proposals, pending commit, options) as bytes. The result is secret: store it
   * encrypted. Keys already consumed are not in it, so it cannot decrypt past messages.
   */
  public byte[] save() {
    return StateCodec.encode(state, pending, psks);
  }

  /**
   * What this member still holds of past messages and epochs, with the saved state searched for
   * every secret this handle has deleted (see {@link ForwardSecrecyReport}). Costs a
   * {@link #save()} plus one SHA-256 per byte of it per secret length (about 0.1 s for the
   * state of a 1,000-member group).
   */
  public ForwardSecrecyReport forwardSecrecyReport() {
    GroupState s = state;
    List<ForwardSecrecyReport.RetainedEpoch> epochs = new ArrayList<>();
    epochs.add(new ForwardSecrecyReport.RetainedEpoch(s.epoch(),
        ForwardSecrecyReport.Retention.CURRENT, s.secretTree().holdsRootSecret(),
        s.secretTree().ratchetStates()));
    for (int i = s.pastEpochs().size() - 1; i >= 0; i--) {
      GroupState.PastEpoch p = s.pastEpochs().get(i);
      epochs.add(new ForwardSecrecyReport.RetainedEpoch(p.context().epoch(),
          ForwardSecrecyReport.Retention.LATE_MESSAGE_WINDOW, p.secretTree().holdsRootSecret(),
          p.secretTree().ratchetStates()));
    }
    byte[] saved = save();
    return new ForwardSecrecyReport(s.epoch(), epochs,
        s.resumptionPsks().stream().map(GroupState.ResumptionPsk::epoch).toList(), saved.length,
        deleted.size(), deleted.foundIn(saved));
  }

  /** Records the content key a message consumed, once the state that lacks it is in place. */
  private void noteReceivedKey(GroupState s, AuthenticatedContent ac, Framer.Opened opened) {
    if (opened.consumedKey() != null && ac.sender() instanceof Sender.Member from) {
      noteKey(s.epoch(), from.leafIndex(), ac.content().contentType(), opened.consumedKey());
    }
  }

  private void noteKey(long epoch, LeafIndex sender, ContentType type,
      org.quicproquo.mls.schedule.RatchetKey key) {
    if (key != null) {
      deleted.add(ForwardSecrecyReport.DeletedSecret.messageKey(epoch, sender,
          org.quicproquo.mls.framing.MessageKeySource.ratchetFor(type), key.generation()),
          key.key());
    }
  }

  /** Records the secrets of epoch {@code left}, which the group has just moved past. */
  private void noteEpochLeft(GroupState left) {
    if (state.epoch() == left.epoch()) {
      return;
    }
    EpochSecrets e = left.secrets();
    deleted.add(ForwardSecrecyReport.DeletedSecret.epochSecret(
        ForwardSecrecyReport.DeletedSecret.Kind.INIT_SECRET, left.epoch()), e.initSecret());
    deleted.add(ForwardSecrecyReport.DeletedSecret.epochSecret(
        ForwardSecrecyReport.DeletedSecret.Kind.EXPORTER_SECRET, left.epoch()), e.exporterSecret());
    deleted.add(ForwardSecrecyReport.DeletedSecret.epochSecret(
        ForwardSecrecyReport.DeletedSecret.Kind.MEMBERSHIP_KEY, left.epoch()), e.membershipKey());
  }

  private void requireActive() throws GroupStateException {
    if (!state.active()) {
      throw new GroupStateException(
          "this member was removed from the group, or the group was reinitialised (ReInit)");
    }
  }

  @Override
  public String toString() {
    return "Group[epoch=" + state.epoch() + ", leaf=" + state.ownLeaf().value() + "]";
  }

  /** Package-private view for tests. */
  GroupState state() {
    return state;
  }

  static Group of(GroupState s) {
    return new Group(Objects.requireNonNull(s), ExternalPsks.none());
  }
}

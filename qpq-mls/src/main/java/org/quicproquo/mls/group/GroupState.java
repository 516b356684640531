package org.quicproquo.mls.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.message.GroupContext;
import org.quicproquo.mls.schedule.EpochSecrets;
import org.quicproquo.mls.schedule.SecretTree;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.RatchetTree;
import org.quicproquo.mls.tree.TreePrivateKeys;

/**
 * Everything one member knows about one epoch of a group (RFC 9420 §8, §9, §12). Treated as
 * immutable: the {@link RatchetTree} and {@link SecretTree} objects it holds are never changed
 * after the state is built; every transition copies them first and builds a new state, so a
 * failed transition cannot leave a half-applied state behind.
 *
 * <p>{@code secrets} never holds the encryption_secret (it lives on only inside the secret tree,
 * which deletes what it consumes) nor the joiner/welcome secrets: a saved state must not let an
 * attacker decrypt past messages (forward secrecy, §9.2).
 *
 * @param privateKeys HPKE private keys this member holds: its own leaf and the nodes of its
 *     direct path it knows
 * @param confirmationTag the confirmation_tag that started this epoch (§8.1), for GroupInfos
 * @param resumptionPsks resumption_psk of recent epochs (newest last), for resumption PSKs (§8.6)
 */
record GroupState(
    CipherSuite suite,
    GroupContext context,
    RatchetTree tree,
    LeafIndex ownLeaf,
    byte[] signaturePrivateKey,
    TreePrivateKeys privateKeys,
    EpochSecrets secrets,
    SecretTree secretTree,
    byte[] interimTranscriptHash,
    byte[] confirmationTag,
    ProposalCache proposals,
    List<ResumptionPsk> resumptionPsks,
    List<PastEpoch> pastEpochs,
    GroupOptions options,
    boolean active) {

  /**
   * How many past epochs stay readable for late application messages (RFC 9420 §14: a message
   * sent just before a commit may arrive after it). Their secret trees keep deleting what they
   * hand out; everything else of those epochs is gone.
   */
  static final int PAST_EPOCHS_KEPT = 1;

  /**
   * What is needed to read a late PrivateMessage application message of a past epoch: its
   * context (signatures), tree (sender keys), sender_data_secret and secret tree.
   */
  record PastEpoch(GroupContext context, RatchetTree tree, byte[] senderDataSecret,
      SecretTree secretTree) {
    PastEpoch {
      Objects.requireNonNull(context, "context");
      Objects.requireNonNull(tree, "tree");
      senderDataSecret = senderDataSecret.clone();
      Objects.requireNonNull(secretTree, "secretTree");
    }

    @Override
    public byte[] senderDataSecret() {
      return senderDataSecret.clone();
    }
  }

  /** How many past epochs' resumption PSKs are kept. */
  static final int RESUMPTION_PSKS_KEPT = 8;

  /** A past epoch's resumption_psk. */
  record ResumptionPsk(long epoch, byte[] psk) {
    ResumptionPsk {
      psk = psk.clone();
    }

    @Override
    public byte[] psk() {
      return psk.clone();
    }
  }

  GroupState {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(tree, "tree");
    Objects.requireNonNull(ownLeaf, "ownLeaf");
    signaturePrivateKey = signaturePrivateKey.clone();
    Objects.requireNonNull(privateKeys, "privateKeys");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(secretTree, "secretTree");
    interimTranscriptHash = interimTranscriptHash.clone();
    confirmationTag = confirmationTag.clone();
    Objects.requireNonNull(proposals, "proposals");
    resumptionPsks = List.copyOf(resumptionPsks);
    pastEpochs = List.copyOf(pastEpochs);
    Objects.requireNonNull(options, "options");
  }

  @Override
  public byte[] signaturePrivateKey() {
    return signaturePrivateKey.clone();
  }

  @Override
  public byte[] interimTranscriptHash() {
    return interimTranscriptHash.clone();
  }

  /** The confirmation_tag of the commit (or Welcome) that started this epoch, for GroupInfos. */
  @Override
  public byte[] confirmationTag() {
    return confirmationTag.clone();
  }

  long epoch() {
    return context.epoch();
  }

  byte[] groupId() {
    return context.groupId();
  }

  /** This state with another secret tree (after a PrivateMessage consumed keys). */
  GroupState withSecretTree(SecretTree next) {
    return new GroupState(suite, context, tree, ownLeaf, signaturePrivateKey, privateKeys, secrets,
        next, interimTranscriptHash, confirmationTag, proposals, resumptionPsks, pastEpochs, options, active);
  }

  /** This state with another proposal cache. */
  GroupState withProposals(ProposalCache next) {
    return new GroupState(suite, context, tree, ownLeaf, signaturePrivateKey, privateKeys, secrets,
        secretTree, interimTranscriptHash, confirmationTag, next, resumptionPsks, pastEpochs, options, active);
  }

  /** This state marked inactive (this member was removed): it accepts no further messages. */
  GroupState deactivated() {
    return new GroupState(suite, context, tree, ownLeaf, signaturePrivateKey, privateKeys, secrets,
        secretTree, interimTranscriptHash, confirmationTag, proposals, resumptionPsks, pastEpochs, options, false);
  }

  /**
   * This epoch's state as member {@code leaf} holds it, given that member's signature key and
   * tree private keys: everything else of an epoch (context, tree, epoch secrets, secret tree,
   * transcript, proposals) is the same for every member. For simulating other members, e.g. a
   * benchmark building a tree in which every member committed once without keeping a client per
   * member; a real client never needs it.
   */
  GroupState asMember(LeafIndex leaf, byte[] signaturePrivateKey, TreePrivateKeys privateKeys) {
    return new GroupState(suite, context, tree, leaf, signaturePrivateKey, privateKeys, secrets,
        secretTree, interimTranscriptHash, confirmationTag, proposals, resumptionPsks, pastEpochs,
        options, active);
  }

  /** This state with other options. */
  GroupState withOptions(GroupOptions next) {
    return new GroupState(suite, context, tree, ownLeaf, signaturePrivateKey, privateKeys, secrets,
        secretTree, interimTranscriptHash, confirmationTag, proposals, resumptionPsks, pastEpochs, next, active);
  }

  /** The past-epoch list of the epoch after this one: this epoch appended, oldest dropped. */
  List<PastEpoch> nextPastEpochs() {
    List<PastEpoch> next = new ArrayList<>(pastEpochs);
    next.add(new PastEpoch(context, tree, secrets.senderDataSecret(), secretTree));
    while (next.size() > PAST_EPOCHS_KEPT) {
      next.remove(0);
    }
    return next;
  }

  /** This state with the newest past epoch's secret tree replaced by {@code latest}. */
  GroupState withLatestPastSecretTree(SecretTree latest) {
    if (pastEpochs.isEmpty()) {
      return this;
    }
    int last = pastEpochs.size() - 1;
    PastEpoch p = pastEpochs.get(last);
    return withPastEpoch(last, new PastEpoch(p.context(), p.tree(), p.senderDataSecret(), latest));
  }

  /** This state with past epoch {@code index} replaced (its secret tree consumed a key). */
  GroupState withPastEpoch(int index, PastEpoch e) {
    List<PastEpoch> next = new ArrayList<>(pastEpochs);
    next.set(index, e);
    return new GroupState(suite, context, tree, ownLeaf, signaturePrivateKey, privateKeys, secrets,
        secretTree, interimTranscriptHash, confirmationTag, proposals, resumptionPsks, next,
        options, active);
  }

  /**
   * A read-only view of past epoch {@code e} shaped like a state, so the framing code can open
   * its messages; only what opening needs is real.
   */
  GroupState viewOf(PastEpoch e) {
    byte[] none = new byte[0];
    EpochSecrets only = new EpochSecrets(none, none, e.senderDataSecret(), none, none, none, none,
        none, none, none, none);
    return new GroupState(suite, e.context(), e.tree(), ownLeaf, signaturePrivateKey,
        privateKeys, only, e.secretTree(), none, none, ProposalCache.EMPTY, List.of(), List.of(),
        options, active);
  }

  /** The resumption PSK list of the epoch after this one: this epoch's PSK appended, oldest dropped. */
  List<ResumptionPsk> nextResumptionPsks() {
    List<ResumptionPsk> next = new ArrayList<>(resumptionPsks);
    next.add(new ResumptionPsk(epoch(), secrets.resumptionPsk()));
    while (next.size() > RESUMPTION_PSKS_KEPT) {
      next.remove(0);
    }
    return next;
  }

  Optional<byte[]> resumptionPsk(long epoch) {
    if (epoch == epoch()) {
      return Optional.of(secrets.resumptionPsk());
    }
    return resumptionPsks.stream().filter(r -> r.epoch() == epoch).findFirst()
        .map(ResumptionPsk::psk);
  }

  @Override
  public String toString() {
    return "GroupState[epoch=" + epoch() + ", leaf=" + ownLeaf.value() + ", redacted]";
  }
}

package org.quicproquo.mls.group;

import java.util.List;
import java.util.Objects;
import org.quicproquo.mls.schedule.RatchetType;
import org.quicproquo.mls.schedule.SecretTree;
import org.quicproquo.mls.tree.LeafIndex;

/**
 * What key material of past messages and epochs this member still holds (RFC 9420 §9.2 deletion
 * schedule, §16.6 forward secrecy), from {@link Group#forwardSecrecyReport()}.
 *
 * <p>The retention part lists what the state keeps on purpose: the current epoch's ratchets and,
 * for late application messages (§14), the secret trees of the last
 * {@value GroupState#PAST_EPOCHS_KEPT} past epoch(s), with the generations each sender's ratchet
 * has reached and the skipped keys it still holds for out-of-order messages. Every generation
 * below a ratchet's next one that is not listed as retained is deleted.
 *
 * <p>The deletion part is checked, not assumed: the group fingerprints each content key it uses
 * or consumes and the secrets of each epoch it leaves (see {@link DeletedSecret.Kind}), and the
 * report searches the bytes of {@link Group#save()} for every one of them.
 * {@link #deletedSecretsFound()} lists any that occur there; for a correct implementation it is
 * empty. Only secrets deleted since this {@link Group} object was created or restored are checked
 * (the fingerprints are not saved), at most the most recent 4,096.
 *
 * @param epoch the current epoch
 * @param retainedEpochs the current epoch first, then the past epochs still readable, newest first
 * @param resumptionPskEpochs past epochs whose resumption_psk is kept for resumption PSKs (§8.6)
 * @param savedStateBytes size of the saved state that was searched
 * @param deletedSecretsChecked how many deleted secrets were searched for
 * @param deletedSecretsFound the deleted secrets found in the saved state (should be none)
 */
public record ForwardSecrecyReport(long epoch, List<RetainedEpoch> retainedEpochs,
    List<Long> resumptionPskEpochs, int savedStateBytes, int deletedSecretsChecked,
    List<DeletedSecret> deletedSecretsFound) {

  public ForwardSecrecyReport {
    retainedEpochs = List.copyOf(retainedEpochs);
    resumptionPskEpochs = List.copyOf(resumptionPskEpochs);
    deletedSecretsFound = List.copyOf(deletedSecretsFound);
  }

  /** True when none of the checked deleted secrets occurs in the saved state. */
  public boolean deletedSecretsAbsent() {
    return deletedSecretsFound.isEmpty();
  }

  /** Skipped (unconsumed) content keys retained across all listed epochs. */
  public int retainedKeyCount() {
    return retainedEpochs.stream().flatMap(e -> e.ratchets().stream())
        .mapToInt(r -> r.retainedGenerations().size()).sum();
  }

  /** Why an epoch's message keys are still held. */
  public enum Retention {
    /** The epoch the group is in. */
    CURRENT,
    /** A past epoch kept so application messages sent just before a commit can be read (§14). */
    LATE_MESSAGE_WINDOW
  }

  /**
   * One epoch whose secret tree is held.
   *
   * @param encryptionSecretHeld whether its encryption_secret (the secret tree's root) is still
   *     held: true only until the first message of the epoch is sent or received
   * @param ratchets every sender ratchet seeded in the epoch
   */
  public record RetainedEpoch(long epoch, Retention retention, boolean encryptionSecretHeld,
      List<SecretTree.RatchetState> ratchets) {
    public RetainedEpoch {
      Objects.requireNonNull(retention, "retention");
      ratchets = List.copyOf(ratchets);
    }
  }

  /**
   * A secret this member deleted.
   *
   * @param leaf the sender of a content key, or null for epoch secrets
   * @param type the ratchet of a content key, or null for epoch secrets
   * @param generation the generation of a content key, or -1 for epoch secrets
   */
  public record DeletedSecret(Kind kind, long epoch, LeafIndex leaf, RatchetType type,
      long generation) {
    public DeletedSecret {
      Objects.requireNonNull(kind, "kind");
    }

    /** What was deleted. */
    public enum Kind {
      /** A content key (§9.1) used to send or consumed on receipt. */
      MESSAGE_KEY,
      /** The init_secret of an epoch this member left (it derives the next epoch, §8). */
      INIT_SECRET,
      /** The exporter_secret of an epoch this member left (§8.5). */
      EXPORTER_SECRET,
      /** The membership_key of an epoch this member left (§6.2). */
      MEMBERSHIP_KEY
    }

    static DeletedSecret messageKey(long epoch, LeafIndex leaf, RatchetType type,
        long generation) {
      return new DeletedSecret(Kind.MESSAGE_KEY, epoch, leaf, type, generation);
    }

    static DeletedSecret epochSecret(Kind kind, long epoch) {
      return new DeletedSecret(kind, epoch, null, null, -1);
    }
  }
}

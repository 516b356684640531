package org.quicproquo.mls.group;

/**
 * Why a received message was rejected (RFC 9420 §12.4.2 and §6). Each value names one validation rule;
 * tests and logs use the same names.
 */
public enum RejectReason {
  /** The message is not well-formed (strict TLS decoding failed) or has an unexpected wire format. */
  MALFORMED,
  /** group_id differs from this group's. */
  WRONG_GROUP_ID,
  /** epoch differs from this group's current epoch. */
  WRONG_EPOCH,
  /** The sender is not a member of the current epoch (blank or out-of-range leaf). */
  NOT_A_MEMBER,
  /** The sender type is not allowed for this content (e.g. an external sender of an application message). */
  SENDER_NOT_ALLOWED,
  /** The FramedContent signature does not verify under the sender's signature key (§6.1). */
  BAD_SIGNATURE,
  /** The PublicMessage membership_tag does not verify (§6.2). */
  BAD_MEMBERSHIP_TAG,
  /** A PrivateMessage could not be decrypted (sender data or content AEAD failed, §6.3). */
  DECRYPTION_FAILED,
  /** The generation of a PrivateMessage was already consumed or is too far ahead (§9.2). */
  GENERATION_REUSED_OR_TOO_FAR,
  /**
   * The key of that generation was skipped and later dropped because the secret tree keeps only a
   * bounded number of skipped keys ({@link GroupOptions#maxRetainedKeys()}, §9.2 deletion).
   */
  KEY_EVICTED,
  /** A proposal or proposal list violates §12.1 / §12.2 (including a commit removing its committer). */
  INVALID_PROPOSAL,
  /**
   * A KeyPackage's lifetime (§7.2) does not cover the current time of
   * {@link GroupOptions#clock()}: an Add proposed, committed or received (§10.1, §12.2), or a
   * key_package-sourced leaf of a tree being joined (§7.3, §12.4.3.1).
   */
  INVALID_LIFETIME,
  /**
   * An external commit's Remove targets a leaf whose identity differs from the joiner's: only a
   * joiner's own old leaf may be removed (resync, §12.2, §12.4.3.2).
   */
  EXTERNAL_REMOVE_NOT_JOINER,
  /** A Commit refers to a proposal not in the cache of this epoch (§12.4). */
  UNKNOWN_PROPOSAL_REFERENCE,
  /** The Commit path is missing where required, invalid, or does not decrypt (§12.4.2, §7.9). */
  INVALID_PATH,
  /** A leaf node or the resulting tree fails validation (§7.3, §7.9.2). */
  INVALID_TREE,
  /** The confirmation tag does not match the new epoch's confirmed transcript hash (§8.1). */
  BAD_CONFIRMATION_TAG,
  /** A pre-shared key referenced by the message is not available. */
  MISSING_PSK,
  /** A Welcome / GroupInfo could not be used to join (§12.4.3). */
  INVALID_WELCOME,
  /** The message is a commit made by this member: merge or discard the pending commit instead. */
  OWN_COMMIT
}

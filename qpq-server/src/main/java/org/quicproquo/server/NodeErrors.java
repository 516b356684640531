package org.quicproquo.server;

/**
 * Application error codes of {@code NodeService} (the part before ": " in an RPC exception's
 * reason; docs/wire.md "NodeService RPCs"). Part of the wire contract: never change or reuse one.
 */
public final class NodeErrors {
  /** A parameter is missing, too long or malformed. */
  public static final String INVALID_ARGUMENT = "INVALID_ARGUMENT";
  /** The connection has not logged in. */
  public static final String UNAUTHENTICATED = "UNAUTHENTICATED";
  /**
   * The call names a device that is not the caller's, or an ack names a message queued only for
   * other devices.
   */
  public static final String NOT_AUTHORIZED = "NOT_AUTHORIZED";
  /** The device was revoked. */
  public static final String DEVICE_REVOKED = "DEVICE_REVOKED";
  /** No such (active) device. */
  public static final String UNKNOWN_DEVICE = "UNKNOWN_DEVICE";
  /** No such user. */
  public static final String UNKNOWN_USER = "UNKNOWN_USER";
  /** The user name is registered already. */
  public static final String NAME_TAKEN = "NAME_TAKEN";
  /** The device certificate does not verify under the identity key. */
  public static final String BAD_CERTIFICATE = "BAD_CERTIFICATE";
  /** The login signature does not verify. */
  public static final String BAD_SIGNATURE = "BAD_SIGNATURE";
  /** login without a preceding loginChallenge for that device on this connection. */
  public static final String NO_CHALLENGE = "NO_CHALLENGE";
  /** The connection is logged in already. */
  public static final String ALREADY_LOGGED_IN = "ALREADY_LOGGED_IN";
  /** A quota (queue length, KeyPackages, devices) is reached; the detail names it. */
  public static final String QUOTA_EXCEEDED = "QUOTA_EXCEEDED";
  /** Too many calls by this identity; the detail says when to retry. */
  public static final String RATE_LIMITED = "RATE_LIMITED";
  /** A Commit for an epoch that is not the group's current one; the detail names the current. */
  public static final String STALE_EPOCH = "STALE_EPOCH";
  /** enqueue with commit set, but the payload is not a PublicMessage Commit. */
  public static final String NOT_A_COMMIT = "NOT_A_COMMIT";
  /**
   * An uploaded KeyPackage fails validation; the detail names it ({@code oneTime[i]} or
   * {@code lastResort}) and the rule ({@code KP-n}, docs/wire.md "KeyPackages"). Nothing stored.
   */
  public static final String BAD_KEY_PACKAGE = "BAD_KEY_PACKAGE";
  /** Nothing stored under that key (GroupInfo). */
  public static final String NOT_FOUND = "NOT_FOUND";

  /** No blob with that id (or another user's unfinished one, which stays invisible). */
  public static final String NO_SUCH_BLOB = "NO_SUCH_BLOB";
  /** putChunk on a finished (immutable) blob. */
  public static final String BLOB_FINISHED = "BLOB_FINISHED";
  /** finishBlob or getChunk before every chunk is stored; the detail names the first missing. */
  public static final String BLOB_INCOMPLETE = "BLOB_INCOMPLETE";

  /** registerDevice when the user has 5 active devices already. */
  public static final String TOO_MANY_DEVICES = "TOO_MANY_DEVICES";
  /** registerDevice with a device key that is registered (active) already. */
  public static final String DEVICE_EXISTS = "DEVICE_EXISTS";
  /** No link with that id (a wrong link code). */
  public static final String LINK_NOT_FOUND = "LINK_NOT_FOUND";
  /** The link code expired. */
  public static final String LINK_EXPIRED = "LINK_EXPIRED";
  /** The link code was used already (another device posted its request first). */
  public static final String LINK_USED = "LINK_USED";

  private NodeErrors() {
  }
}

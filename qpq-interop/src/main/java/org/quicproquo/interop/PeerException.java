package org.quicproquo.interop;

/**
 * The peer answered a request with {@code {"error": {"kind", "message"}}} (interop/README.md,
 * "Protocol"); {@link #kind()} is the error kind, e.g. {@code Unsupported} or {@code ValidationError}.
 */
public final class PeerException extends InteropException {
  private static final long serialVersionUID = 1L;
  private final String kind;

  /** An error answer of kind {@code kind} to command {@code cmd}. */
  public PeerException(String cmd, String kind, String message) {
    super(cmd + ": " + kind + ": " + message);
    this.kind = kind;
  }

  /** The error kind the peer reported. */
  public String kind() {
    return kind;
  }
}

package org.quicproquo.rpc;

import java.util.Objects;

/**
 * The server presented a certificate other than the pinned one. Possibly an attack, possibly a
 * server that lost its key: the connection is refused either way and the user must decide.
 */
public final class FingerprintMismatchException extends RpcException {
  private static final long serialVersionUID = 1L;

  private final String server;
  private final CertificateFingerprint expected;
  private final CertificateFingerprint presented;

  /**
   * Creates the exception.
   *
   * @param server the server name the pin is stored under
   * @param expected the pinned fingerprint
   * @param presented the fingerprint of the certificate the server sent
   */
  public FingerprintMismatchException(String server, CertificateFingerprint expected,
      CertificateFingerprint presented) {
    super(ExceptionType.DISCONNECTED, RpcErrors.CERTIFICATE_MISMATCH,
        "server " + server + " presented certificate " + presented + " but " + expected
            + " is pinned");
    this.server = Objects.requireNonNull(server, "server");
    this.expected = Objects.requireNonNull(expected, "expected");
    this.presented = Objects.requireNonNull(presented, "presented");
  }

  /** The server name the pin is stored under. */
  public String server() {
    return server;
  }

  /** The pinned fingerprint. */
  public CertificateFingerprint expected() {
    return expected;
  }

  /** The fingerprint the server presented. */
  public CertificateFingerprint presented() {
    return presented;
  }
}

package org.quicproquo.rpc;

import java.util.Objects;

/**
 * Decides whether a client accepts the certificate its server presents. Only the leaf
 * certificate's SHA-256 fingerprint counts; validity dates and issuers are ignored, as with SSH
 * host keys. (TLS itself still proves the server holds the certificate's private key.)
 */
@FunctionalInterface
public interface ServerTrust {
  /**
   * Accepts or refuses a server.
   *
   * @param server the server name the client was asked to connect to (for example
   *     {@code "chat.example.org:7000"})
   * @param presented the fingerprint of the server's leaf certificate
   * @throws FingerprintMismatchException if a pin exists and differs
   * @throws RpcException for any other refusal
   */
  void verify(String server, CertificateFingerprint presented);

  /** Accepts exactly one fingerprint. */
  static ServerTrust pinned(CertificateFingerprint expected) {
    Objects.requireNonNull(expected, "expected");
    return (server, presented) -> {
      if (!expected.equals(presented)) {
        throw new FingerprintMismatchException(server, expected, presented);
      }
    };
  }

  /**
   * Trust on first use: a server without a pin is accepted and reported to
   * {@link PinStore#firstUse}; a server with a pin must match it.
   */
  static ServerTrust trustOnFirstUse(PinStore store) {
    Objects.requireNonNull(store, "store");
    return (server, presented) -> {
      var pin = store.pinned(server);
      if (pin.isEmpty()) {
        store.firstUse(server, presented);
      } else if (!pin.get().equals(presented)) {
        throw new FingerprintMismatchException(server, pin.get(), presented);
      }
    };
  }
}

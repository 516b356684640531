package org.quicproquo.rpc;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * SHA-256 of a certificate's DER encoding: what a client pins to recognise its server.
 *
 * @param sha256 the 32-byte digest (copied in and out)
 */
public record CertificateFingerprint(byte[] sha256) {
  private static final HexFormat HEX = HexFormat.of();

  /** Checks the length and copies the digest. */
  public CertificateFingerprint {
    Objects.requireNonNull(sha256, "sha256");
    if (sha256.length != 32) {
      throw new IllegalArgumentException("a SHA-256 fingerprint has 32 bytes, got " + sha256.length);
    }
    sha256 = sha256.clone();
  }

  /** The fingerprint of a certificate. */
  public static CertificateFingerprint of(X509Certificate certificate) {
    try {
      return new CertificateFingerprint(
          MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
      throw new RpcException(ExceptionType.FAILED, RpcErrors.INVALID_IDENTITY,
          "cannot fingerprint certificate", e);
    }
  }

  /**
   * Parses 64 hex digits; colons between byte pairs (as printed by {@code openssl x509
   * -fingerprint}) are accepted and ignored.
   *
   * @throws IllegalArgumentException if the text is not a SHA-256 fingerprint
   */
  public static CertificateFingerprint parse(String text) {
    String hex = text.strip().replace(":", "");
    if (hex.length() != 64) {
      throw new IllegalArgumentException("a SHA-256 fingerprint has 64 hex digits");
    }
    return new CertificateFingerprint(HEX.parseHex(hex));
  }

  /** A copy of the digest. */
  @Override
  public byte[] sha256() {
    return sha256.clone();
  }

  /** 64 lower-case hex digits, the form {@link #parse} reads back. */
  public String hex() {
    return HEX.formatHex(sha256);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CertificateFingerprint f && MessageDigest.isEqual(sha256, f.sha256);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sha256);
  }

  @Override
  public String toString() {
    return "sha256:" + hex();
  }
}

package org.quicproquo.core.identity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The exact bytes qpq signs with Ed25519 to bind keys and logins (docs/wire.md "NodeService
 * RPCs"). Both sides build them here, so client and server cannot disagree on the encoding.
 */
public final class AuthTranscripts {
  /** Domain-separation label of a device certificate, ASCII, ends with a NUL byte. */
  public static final String DEVICE_CERT_LABEL = "qpq device certificate v1\0";
  /** Domain-separation label of a login signature, ASCII, ends with a NUL byte. */
  public static final String LOGIN_LABEL = "qpq login v1\0";

  private AuthTranscripts() {
  }

  /**
   * What the identity key signs to certify a device: {@code label || u16 len || UTF-8 user name
   * || u16 len || device public key} (lengths big-endian).
   */
  public static byte[] deviceCertificate(String userName, byte[] deviceKey) {
    byte[] label = DEVICE_CERT_LABEL.getBytes(StandardCharsets.US_ASCII);
    byte[] name = userName.getBytes(StandardCharsets.UTF_8);
    checkU16(name.length);
    checkU16(deviceKey.length);
    return ByteBuffer.allocate(label.length + 2 + name.length + 2 + deviceKey.length)
        .put(label).putShort((short) name.length).put(name)
        .putShort((short) deviceKey.length).put(deviceKey).array();
  }

  /**
   * What the device key signs to log in: {@code label || nonce (32) || SHA-256 fingerprint of the
   * server certificate (32) || device id (u64 big-endian)}.
   */
  public static byte[] login(byte[] nonce, byte[] serverFingerprint, long deviceId) {
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(serverFingerprint, "serverFingerprint");
    byte[] label = LOGIN_LABEL.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(label.length + nonce.length + serverFingerprint.length + 8)
        .put(label).put(nonce).put(serverFingerprint).putLong(deviceId).array();
  }

  private static void checkU16(int n) {
    if (n > 0xffff) {
      throw new IllegalArgumentException("field longer than 65535 bytes");
    }
  }
}

package org.quicproquo.core.identity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The identity key's statement "this device key belongs to this user, since this time".
 *
 * <p><b>Signed bytes</b> ({@link #toBeSigned}), all integers big-endian, no padding:
 * <pre>
 *   offset  size  field
 *   0       28    label, the ASCII bytes of "qpq/device-certificate/v1" followed by three 0x00
 *                 ({@link #LABEL}; fixed length so no other qpq signature input can collide)
 *   28      1     n = length of the user name in bytes (1..254)
 *   29      n     user name, canonical ASCII form ({@link UserName#toBytes()})
 *   29+n    32    device Ed25519 public key (RFC 8032 encoding)
 *   61+n    8     created-at, milliseconds since 1970-01-01T00:00:00Z, signed 64-bit, &gt;= 0
 * </pre>
 * The signature is pure Ed25519 (RFC 8032) by the user's identity key over exactly these bytes.
 *
 * <p><b>Wire encoding</b> ({@link #encode}/{@link #decode}): the signed bytes followed by the
 * 64-byte signature, nothing else. Decoding is strict (exact length, canonical name, valid point)
 * but does not check the signature: call {@link #verify} with the identity key you trust.
 *
 * @param user       whose device this is
 * @param deviceKey  the certified device signature key
 * @param createdAt  when the certificate was issued (millisecond precision)
 * @param signature  64-byte Ed25519 signature over {@link #toBeSigned}
 */
public record DeviceCertificate(UserName user, DevicePublicKey deviceKey, Instant createdAt, byte[] signature) {
  /** Domain-separation label at the start of the signed bytes (28 bytes). */
  public static final byte[] LABEL = Arrays.copyOf("qpq/device-certificate/v1".getBytes(StandardCharsets.US_ASCII), 28);
  private static final int SIGNATURE_SIZE = Ed25519Keys.SIGNATURE_SIZE;

  /** @throws IllegalArgumentException on a null field, a sub-millisecond or negative time, or a bad signature length */
  public DeviceCertificate {
    if (user == null || deviceKey == null || createdAt == null || signature == null) {
      throw new IllegalArgumentException("certificate fields must not be null");
    }
    if (createdAt.isBefore(Instant.EPOCH) || createdAt.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException("created-at must be >= epoch with millisecond precision");
    }
    if (signature.length != SIGNATURE_SIZE) {
      throw new IllegalArgumentException("signature must be " + SIGNATURE_SIZE + " bytes");
    }
    signature = signature.clone();
  }

  /**
   * Issues a certificate: signs (user, device key, createdAt truncated to milliseconds).
   *
   * @throws IllegalArgumentException if {@code createdAt} is before the epoch
   */
  public static DeviceCertificate issue(IdentityKeyPair identity, UserName user, DevicePublicKey deviceKey,
      Instant createdAt) {
    Instant millis = Instant.ofEpochMilli(createdAt.toEpochMilli());
    byte[] tbs = toBeSigned(user, deviceKey, millis);
    return new DeviceCertificate(user, deviceKey, millis, identity.sign(tbs));
  }

  /** The exact bytes the identity key signs (layout in the class javadoc). */
  public static byte[] toBeSigned(UserName user, DevicePublicKey deviceKey, Instant createdAt) {
    byte[] name = user.toBytes();
    return ByteBuffer.allocate(LABEL.length + 1 + name.length + DevicePublicKey.SIZE + 8)
        .put(LABEL)
        .put((byte) name.length)
        .put(name)
        .put(deviceKey.bytes())
        .putLong(createdAt.toEpochMilli())
        .array();
  }

  /** This certificate's signed bytes. */
  public byte[] toBeSigned() {
    return toBeSigned(user, deviceKey, createdAt);
  }

  /** Whether {@code identityKey} signed this certificate; never throws. */
  public boolean verify(IdentityKey identityKey) {
    return identityKey.verify(toBeSigned(), signature);
  }

  /** The signed bytes followed by the signature. */
  public byte[] encode() {
    byte[] tbs = toBeSigned();
    byte[] out = Arrays.copyOf(tbs, tbs.length + SIGNATURE_SIZE);
    System.arraycopy(signature, 0, out, tbs.length, SIGNATURE_SIZE);
    return out;
  }

  /**
   * Strictly decodes {@link #encode}'s output. Does not verify the signature.
   *
   * @throws InvalidIdentityException on a wrong label, length, name, key or time
   */
  public static DeviceCertificate decode(byte[] encoded) throws InvalidIdentityException {
    int fixed = LABEL.length + 1 + DevicePublicKey.SIZE + 8 + SIGNATURE_SIZE;
    if (encoded == null || encoded.length < fixed + 1 || encoded.length > fixed + UserName.MAX_LENGTH) {
      throw new InvalidIdentityException("device certificate has an impossible length");
    }
    if (!Arrays.equals(encoded, 0, LABEL.length, LABEL, 0, LABEL.length)) {
      throw new InvalidIdentityException("device certificate label mismatch");
    }
    int n = encoded[LABEL.length] & 0xff;
    if (encoded.length != fixed + n) {
      throw new InvalidIdentityException("device certificate length does not match its name length");
    }
    ByteBuffer in = ByteBuffer.wrap(encoded, LABEL.length + 1, encoded.length - LABEL.length - 1);
    byte[] name = new byte[n];
    in.get(name);
    UserName user;
    try {
      user = new UserName(new String(name, StandardCharsets.ISO_8859_1));
    } catch (IllegalArgumentException e) {
      throw new InvalidIdentityException("device certificate: " + e.getMessage());
    }
    byte[] key = new byte[DevicePublicKey.SIZE];
    in.get(key);
    DevicePublicKey deviceKey = DevicePublicKey.of(key);
    long millis = in.getLong();
    if (millis < 0) {
      throw new InvalidIdentityException("device certificate created-at is negative");
    }
    byte[] sig = new byte[SIGNATURE_SIZE];
    in.get(sig);
    return new DeviceCertificate(user, deviceKey, Instant.ofEpochMilli(millis), sig);
  }

  /** A copy of the signature. */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceCertificate other && user.equals(other.user) && deviceKey.equals(other.deviceKey)
        && createdAt.equals(other.createdAt) && Arrays.equals(signature, other.signature);
  }

  @Override
  public int hashCode() {
    return ((user.hashCode() * 31 + deviceKey.hashCode()) * 31 + createdAt.hashCode()) * 31
        + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "DeviceCertificate[" + user + ", " + deviceKey + ", " + createdAt + ", sig="
        + HexFormat.of().formatHex(signature, 0, 8) + "...]";
  }
}

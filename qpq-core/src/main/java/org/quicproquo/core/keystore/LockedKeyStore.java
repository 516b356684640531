package org.quicproquo.core.keystore;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.quicproquo.core.identity.DeviceKeyPair;
import org.quicproquo.core.identity.IdentityKeyPair;
import org.quicproquo.core.identity.InvalidIdentityException;
import org.quicproquo.core.identity.UserName;

/**
 * Serialises a device's {@link UserSecrets} to bytes, either locked by a passphrase or
 * explicitly unlocked. Pure: the caller writes and reads the file.
 *
 * <p><b>Locked format</b> (integers big-endian):
 * <pre>
 *   offset size field
 *   0      4    magic "QPQK"
 *   4      1    format version, 1
 *   5      1    mode, 1 = locked (Argon2id + ChaCha20-Poly1305)
 *   6      4    Argon2id memory in KiB        \
 *   10     4    Argon2id iterations            | bounded by {@link Argon2Params} on read
 *   14     1    Argon2id parallelism          /
 *   15     16   salt (random)
 *   31     12   nonce (random)
 *   43     32   check value
 *   75     ...  ChaCha20-Poly1305 ciphertext of the payload, 16-byte tag last
 * </pre>
 * Key derivation: {@code master = Argon2id v1.3(passphrase, salt, params, 32 bytes)} where the
 * passphrase is NFC-normalised and UTF-8 encoded; then HKDF-SHA256 with {@code master} as input
 * key and empty salt gives {@code aead key = Expand("qpq/keystore/v1/aead", 32)} and
 * {@code check = Expand("qpq/keystore/v1/check", 32)}. The whole header (bytes 0..75) is the AEAD's
 * associated data, so no header byte can change unnoticed. The check value lets opening tell a
 * wrong passphrase ({@link WrongPassphraseException}) from a modified ciphertext
 * ({@link KeyStoreCorruptException}); it gives an attacker nothing the tag does not (each guess
 * still costs one Argon2id run).
 *
 * <p><b>Unlocked format</b>: magic, version 1, mode 0, the payload, then SHA-256 of all preceding
 * bytes (detects corruption; offers no protection: anyone with the file has the keys).
 *
 * <p><b>Payload v1</b>: {@code u8 n, user name (n bytes), u8 flags (bit 0: identity key present,
 * other bits 0), [32-byte identity private key], 32-byte device private key}.
 *
 * <p>Thread-safe if the injected {@link SecureRandom} is (the JDK's are).
 */
public final class LockedKeyStore {
  /** Whether a store needs a passphrase; the code is the mode byte. */
  public enum Mode {
    /** Stored in the clear (the user chose no passphrase). */
    UNLOCKED(0),
    /** Locked by a passphrase. */
    LOCKED(1);

    private final int code;

    Mode(int code) {
      this.code = code;
    }

    /** The mode byte. */
    public int code() {
      return code;
    }

    /** @throws KeyStoreCorruptException for an unknown code */
    public static Mode fromCode(int code) throws KeyStoreCorruptException {
      for (Mode mode : values()) {
        if (mode.code == code) {
          return mode;
        }
      }
      throw new KeyStoreCorruptException("unknown key store mode " + code);
    }
  }

  static final byte[] MAGIC = {'Q', 'P', 'Q', 'K'};
  static final int VERSION = 1;
  static final int SALT_SIZE = 16;
  static final int NONCE_SIZE = 12;
  static final int CHECK_SIZE = 32;
  static final int TAG_SIZE = 16;
  static final int LOCKED_HEADER_SIZE = 6 + 4 + 4 + 1 + SALT_SIZE + NONCE_SIZE + CHECK_SIZE;
  private static final int KEY_SIZE = 32;
  private static final int DIGEST_SIZE = 32;
  private static final int FLAG_IDENTITY = 1;
  /** Largest payload: a 254-byte name and both keys. */
  private static final int MAX_PAYLOAD = 1 + UserName.MAX_LENGTH + 1 + 2 * KEY_SIZE;
  private static final byte[] INFO_AEAD = "qpq/keystore/v1/aead".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INFO_CHECK = "qpq/keystore/v1/check".getBytes(StandardCharsets.US_ASCII);

  private final SecureRandom random;

  /** A key store drawing salts and nonces from {@code random}. */
  public LockedKeyStore(SecureRandom random) {
    this.random = random;
  }

  /**
   * Locks {@code secrets} with {@code passphrase}. The caller may wipe {@code passphrase} after.
   *
   * @throws IllegalArgumentException if the passphrase is empty (use {@link #unlocked} instead)
   */
  public byte[] lock(UserSecrets secrets, char[] passphrase, Argon2Params params) {
    if (passphrase == null || passphrase.length == 0) {
      throw new IllegalArgumentException("empty passphrase: use unlocked() to store without one");
    }
    byte[] salt = new byte[SALT_SIZE];
    byte[] nonce = new byte[NONCE_SIZE];
    random.nextBytes(salt);
    random.nextBytes(nonce);
    byte[][] keys = deriveKeys(passphrase, salt, params);
    byte[] header = ByteBuffer.allocate(LOCKED_HEADER_SIZE)
        .put(MAGIC).put((byte) VERSION).put((byte) Mode.LOCKED.code)
        .putInt(params.memoryKiB()).putInt(params.iterations()).put((byte) params.parallelism())
        .put(salt).put(nonce).put(keys[1])
        .array();
    byte[] payload = payload(secrets);
    try {
      ChaCha20Poly1305 aead = new ChaCha20Poly1305();
      aead.init(true, new AEADParameters(new KeyParameter(keys[0]), TAG_SIZE * 8, nonce, header));
      byte[] out = Arrays.copyOf(header, header.length + aead.getOutputSize(payload.length));
      int n = aead.processBytes(payload, 0, payload.length, out, header.length);
      aead.doFinal(out, header.length + n);
      return out;
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("encryption cannot fail", e);
    } finally {
      Arrays.fill(payload, (byte) 0);
      Arrays.fill(keys[0], (byte) 0);
    }
  }

  /** Stores {@code secrets} without a passphrase: an explicit choice, the bytes are the keys. */
  public byte[] unlocked(UserSecrets secrets) {
    byte[] payload = payload(secrets);
    byte[] body = ByteBuffer.allocate(6 + payload.length).put(MAGIC).put((byte) VERSION)
        .put((byte) Mode.UNLOCKED.code).put(payload).array();
    Arrays.fill(payload, (byte) 0);
    byte[] out = Arrays.copyOf(body, body.length + DIGEST_SIZE);
    sha256(body, out, body.length);
    Arrays.fill(body, (byte) 0);
    return out;
  }

  /**
   * Reads the mode of a store without opening it.
   *
   * @throws KeyStoreCorruptException if the magic, version or mode is wrong
   */
  public static Mode mode(byte[] store) throws KeyStoreCorruptException {
    if (store == null || store.length < 6) {
      throw new KeyStoreCorruptException("key store too short");
    }
    if (!Arrays.equals(store, 0, 4, MAGIC, 0, 4)) {
      throw new KeyStoreCorruptException("not a qpq key store");
    }
    if (store[4] != VERSION) {
      throw new KeyStoreCorruptException("unsupported key store version " + (store[4] & 0xff));
    }
    return Mode.fromCode(store[5] & 0xff);
  }

  /**
   * Opens a locked store.
   *
   * @throws WrongPassphraseException if the passphrase does not match
   * @throws KeyStoreCorruptException if the store is malformed, modified or unlocked
   */
  public static UserSecrets open(byte[] store, char[] passphrase) throws KeyStoreException {
    if (mode(store) != Mode.LOCKED) {
      throw new KeyStoreCorruptException("key store is not locked; open it with openUnlocked");
    }
    if (store.length < LOCKED_HEADER_SIZE + TAG_SIZE || store.length > LOCKED_HEADER_SIZE + MAX_PAYLOAD + TAG_SIZE) {
      throw new KeyStoreCorruptException("locked key store has an impossible length");
    }
    ByteBuffer in = ByteBuffer.wrap(store, 6, LOCKED_HEADER_SIZE - 6);
    long memory = Integer.toUnsignedLong(in.getInt());
    long iterations = Integer.toUnsignedLong(in.getInt());
    int parallelism = in.get() & 0xff;
    String problem = Argon2Params.problem(memory, iterations, parallelism);
    if (problem != null) {
      throw new KeyStoreCorruptException(problem);
    }
    Argon2Params params = new Argon2Params((int) memory, (int) iterations, parallelism);
    byte[] salt = new byte[SALT_SIZE];
    byte[] nonce = new byte[NONCE_SIZE];
    byte[] check = new byte[CHECK_SIZE];
    in.get(salt).get(nonce).get(check);
    byte[][] keys = deriveKeys(passphrase == null ? new char[0] : passphrase, salt, params);
    byte[] payload = null;
    try {
      if (!MessageDigest.isEqual(keys[1], check)) {
        throw new WrongPassphraseException();
      }
      ChaCha20Poly1305 aead = new ChaCha20Poly1305();
      aead.init(false, new AEADParameters(new KeyParameter(keys[0]), TAG_SIZE * 8, nonce,
          Arrays.copyOf(store, LOCKED_HEADER_SIZE)));
      int ctLen = store.length - LOCKED_HEADER_SIZE;
      payload = new byte[aead.getOutputSize(ctLen)];
      int n = aead.processBytes(store, LOCKED_HEADER_SIZE, ctLen, payload, 0);
      n += aead.doFinal(payload, n);
      return parsePayload(payload, n);
    } catch (InvalidCipherTextException e) {
      throw new KeyStoreCorruptException("key store was modified (authentication failed)");
    } finally {
      Arrays.fill(keys[0], (byte) 0);
      if (payload != null) {
        Arrays.fill(payload, (byte) 0);
      }
    }
  }

  /**
   * Opens a store written by {@link #unlocked}.
   *
   * @throws PassphraseRequiredException if the store is locked
   * @throws KeyStoreCorruptException if it is malformed or corrupted
   */
  public static UserSecrets openUnlocked(byte[] store) throws KeyStoreException {
    if (mode(store) != Mode.UNLOCKED) {
      throw new PassphraseRequiredException();
    }
    if (store.length < 6 + DIGEST_SIZE || store.length > 6 + MAX_PAYLOAD + DIGEST_SIZE) {
      throw new KeyStoreCorruptException("unlocked key store has an impossible length");
    }
    int bodyLen = store.length - DIGEST_SIZE;
    byte[] digest = new byte[DIGEST_SIZE];
    sha256(Arrays.copyOf(store, bodyLen), digest, 0);
    if (!MessageDigest.isEqual(digest, Arrays.copyOfRange(store, bodyLen, store.length))) {
      throw new KeyStoreCorruptException("unlocked key store checksum mismatch");
    }
    byte[] payload = Arrays.copyOfRange(store, 6, bodyLen);
    try {
      return parsePayload(payload, payload.length);
    } finally {
      Arrays.fill(payload, (byte) 0);
    }
  }

  private static byte[] payload(UserSecrets secrets) {
    byte[] name = secrets.user().toBytes();
    ByteBuffer out = ByteBuffer.allocate(1 + name.length + 1 + (secrets.identity().isPresent() ? 2 : 1) * KEY_SIZE);
    out.put((byte) name.length).put(name).put((byte) (secrets.identity().isPresent() ? FLAG_IDENTITY : 0));
    secrets.identity().ifPresent(id -> {
      byte[] key = id.privateKeyBytes();
      out.put(key);
      Arrays.fill(key, (byte) 0);
    });
    byte[] device = secrets.device().privateKeyBytes();
    out.put(device);
    Arrays.fill(device, (byte) 0);
    return out.array();
  }

  private static UserSecrets parsePayload(byte[] payload, int length) throws KeyStoreCorruptException {
    try {
      if (length < 1) {
        throw new KeyStoreCorruptException("key store payload is empty");
      }
      int n = payload[0] & 0xff;
      if (length < 1 + n + 1) {
        throw new KeyStoreCorruptException("key store payload truncated");
      }
      UserName user = new UserName(new String(payload, 1, n, StandardCharsets.ISO_8859_1));
      int flags = payload[1 + n] & 0xff;
      if ((flags & ~FLAG_IDENTITY) != 0) {
        throw new KeyStoreCorruptException("unknown key store flags");
      }
      int keys = (flags & FLAG_IDENTITY) != 0 ? 2 : 1;
      int offset = 2 + n;
      if (length != offset + keys * KEY_SIZE) {
        throw new KeyStoreCorruptException("key store payload has the wrong length");
      }
      Optional<IdentityKeyPair> identity = Optional.empty();
      if (keys == 2) {
        byte[] key = Arrays.copyOfRange(payload, offset, offset + KEY_SIZE);
        identity = Optional.of(IdentityKeyPair.fromPrivateKey(key));
        Arrays.fill(key, (byte) 0);
        offset += KEY_SIZE;
      }
      byte[] key = Arrays.copyOfRange(payload, offset, offset + KEY_SIZE);
      DeviceKeyPair device = DeviceKeyPair.fromPrivateKey(key);
      Arrays.fill(key, (byte) 0);
      return new UserSecrets(user, identity, device);
    } catch (IllegalArgumentException | InvalidIdentityException e) {
      throw new KeyStoreCorruptException("key store payload is invalid: " + e.getMessage());
    }
  }

  /** Returns {aead key, check value}. */
  private static byte[][] deriveKeys(char[] passphrase, byte[] salt, Argon2Params params) {
    byte[] password = passphraseBytes(passphrase);
    byte[] master = new byte[KEY_SIZE];
    try {
      Argon2BytesGenerator argon2 = new Argon2BytesGenerator();
      argon2.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
          .withVersion(Argon2Parameters.ARGON2_VERSION_13)
          .withSalt(salt)
          .withMemoryAsKB(params.memoryKiB())
          .withIterations(params.iterations())
          .withParallelism(params.parallelism())
          .build());
      argon2.generateBytes(password, master);
      return new byte[][] {hkdf(master, INFO_AEAD), hkdf(master, INFO_CHECK)};
    } finally {
      Arrays.fill(password, (byte) 0);
      Arrays.fill(master, (byte) 0);
    }
  }

  static byte[] passphraseBytes(char[] passphrase) {
    // NFC so the same passphrase typed on different keyboards/OSes gives the same bytes.
    String normalized = Normalizer.normalize(CharBuffer.wrap(passphrase), Normalizer.Form.NFC);
    return normalized.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hkdf(byte[] ikm, byte[] info) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(ikm, null, info));
    byte[] out = new byte[KEY_SIZE];
    hkdf.generateBytes(out, 0, out.length);
    return out;
  }

  private static void sha256(byte[] in, byte[] out, int outOffset) {
    SHA256Digest digest = new SHA256Digest();
    digest.update(in, 0, in.length);
    digest.doFinal(out, outOffset);
  }
}

package org.quicproquo.core.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicproquo.core.identity.DeviceKeyPair;
import org.quicproquo.core.identity.IdentityKeyPair;
import org.quicproquo.core.identity.UserName;

class LockedKeyStoreTest {
  /** Cheap parameters so the tests run fast; never use these for real stores. */
  private static final Argon2Params CHEAP = new Argon2Params(64, 1, 1);

  private final SecureRandom random = new SecureRandom();
  private final LockedKeyStore store = new LockedKeyStore(random);
  private final UserSecrets secrets = new UserSecrets(new UserName("alice@example.org"),
      Optional.of(IdentityKeyPair.generate(random)), DeviceKeyPair.generate(random));

  @Test
  void lockedRoundTrip() throws Exception {
    byte[] bytes = store.lock(secrets, "correct horse".toCharArray(), CHEAP);
    assertThat(LockedKeyStore.mode(bytes)).isEqualTo(LockedKeyStore.Mode.LOCKED);
    UserSecrets opened = LockedKeyStore.open(bytes, "correct horse".toCharArray());
    assertThat(opened).isEqualTo(secrets);
    assertThat(opened.identity().orElseThrow().privateKeyBytes())
        .isEqualTo(secrets.identity().orElseThrow().privateKeyBytes());
    assertThat(opened.device().privateKeyBytes()).isEqualTo(secrets.device().privateKeyBytes());
  }

  @Test
  void lockedRoundTripWithoutIdentityKey() throws Exception {
    UserSecrets deviceOnly = new UserSecrets(secrets.user(), Optional.empty(), secrets.device());
    byte[] bytes = store.lock(deviceOnly, "pw".toCharArray(), CHEAP);
    assertThat(LockedKeyStore.open(bytes, "pw".toCharArray())).isEqualTo(deviceOnly);
  }

  @Test
  void headerCarriesTheParameters() throws Exception {
    Argon2Params params = new Argon2Params(128, 2, 2);
    byte[] bytes = store.lock(secrets, "pw".toCharArray(), params);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte[] magic = new byte[4];
    in.get(magic);
    assertThat(magic).isEqualTo("QPQK".getBytes());
    assertThat(in.get()).isEqualTo((byte) 1);
    assertThat(in.get()).isEqualTo((byte) 1);
    assertThat(in.getInt()).isEqualTo(128);
    assertThat(in.getInt()).isEqualTo(2);
    assertThat(in.get()).isEqualTo((byte) 2);
    assertThat(LockedKeyStore.open(bytes, "pw".toCharArray())).isEqualTo(secrets);
  }

  @Test
  void defaultParametersWork() throws Exception {
    assertThat(Argon2Params.DEFAULT.memoryKiB()).isEqualTo(64 * 1024);
    byte[] bytes = store.lock(secrets, "pw".toCharArray(), Argon2Params.DEFAULT);
    assertThat(LockedKeyStore.open(bytes, "pw".toCharArray())).isEqualTo(secrets);
  }

  @Test
  void freshSaltAndNonceEveryTime() {
    byte[] a = store.lock(secrets, "pw".toCharArray(), CHEAP);
    byte[] b = store.lock(secrets, "pw".toCharArray(), CHEAP);
    assertThat(Arrays.copyOfRange(a, 15, 43)).isNotEqualTo(Arrays.copyOfRange(b, 15, 43));
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void wrongPassphraseIsTyped() {
    byte[] bytes = store.lock(secrets, "right".toCharArray(), CHEAP);
    assertThatThrownBy(() -> LockedKeyStore.open(bytes, "wrong".toCharArray()))
        .isInstanceOf(WrongPassphraseException.class);
    assertThatThrownBy(() -> LockedKeyStore.open(bytes, new char[0])).isInstanceOf(WrongPassphraseException.class);
    assertThatThrownBy(() -> LockedKeyStore.open(bytes, null)).isInstanceOf(WrongPassphraseException.class);
  }

  @Test
  void passphraseIsNormalisedToNfc() throws Exception {
    byte[] bytes = store.lock(secrets, "caf\u00e9".toCharArray(), CHEAP);
    assertThat(LockedKeyStore.open(bytes, "cafe\u0301".toCharArray())).isEqualTo(secrets);
  }

  @Test
  void everyModifiedByteIsDetected() {
    byte[] bytes = store.lock(secrets, "pw".toCharArray(), CHEAP);
    for (int i = 0; i < bytes.length; i++) {
      byte[] tampered = bytes.clone();
      tampered[i] ^= 0x01;
      Throwable thrown = catchThrowable(() -> LockedKeyStore.open(tampered, "pw".toCharArray()));
      if (i < 6 || (i >= 31 && i < 43) || i >= LockedKeyStore.LOCKED_HEADER_SIZE) {
        // magic, version, mode, nonce, ciphertext and tag: corrupt, never "wrong passphrase"
        assertThat(thrown).as("byte %d", i).isInstanceOf(KeyStoreCorruptException.class);
      } else {
        // cost parameters, salt and check value: out of range, or a key that no longer matches
        assertThat(thrown).as("byte %d", i).isInstanceOfAny(KeyStoreCorruptException.class,
            WrongPassphraseException.class);
      }
    }
  }

  @Test
  void truncatedOrExtendedStoresAreCorrupt() {
    byte[] bytes = store.lock(secrets, "pw".toCharArray(), CHEAP);
    for (int len = 0; len < bytes.length; len++) {
      byte[] cut = Arrays.copyOf(bytes, len);
      assertThatThrownBy(() -> LockedKeyStore.open(cut, "pw".toCharArray()))
          .as("length %d", len).isInstanceOf(KeyStoreCorruptException.class);
    }
    assertThatThrownBy(() -> LockedKeyStore.open(Arrays.copyOf(bytes, bytes.length + 1), "pw".toCharArray()))
        .isInstanceOf(KeyStoreCorruptException.class);
  }

  @Test
  void hostileCostParametersAreRejectedBeforeRunningArgon2() {
    byte[] bytes = store.lock(secrets, "pw".toCharArray(), CHEAP);
    ByteBuffer.wrap(bytes).putInt(6, Integer.MAX_VALUE);
    assertThatThrownBy(() -> LockedKeyStore.open(bytes, "pw".toCharArray()))
        .isInstanceOf(KeyStoreCorruptException.class).hasMessageContaining("memory");
  }

  @Test
  void unlockedRoundTripAndChecksum() throws Exception {
    byte[] bytes = store.unlocked(secrets);
    assertThat(LockedKeyStore.mode(bytes)).isEqualTo(LockedKeyStore.Mode.UNLOCKED);
    assertThat(LockedKeyStore.openUnlocked(bytes)).isEqualTo(secrets);
    for (int i = 6; i < bytes.length; i++) {
      byte[] tampered = bytes.clone();
      tampered[i] ^= 0x40;
      assertThatThrownBy(() -> LockedKeyStore.openUnlocked(tampered)).as("byte %d", i)
          .isInstanceOf(KeyStoreCorruptException.class);
    }
  }

  @Test
  void modesAreExplicit() {
    byte[] locked = store.lock(secrets, "pw".toCharArray(), CHEAP);
    byte[] unlocked = store.unlocked(secrets);
    assertThatThrownBy(() -> LockedKeyStore.openUnlocked(locked)).isInstanceOf(PassphraseRequiredException.class);
    assertThatThrownBy(() -> LockedKeyStore.open(unlocked, "pw".toCharArray()))
        .isInstanceOf(KeyStoreCorruptException.class);
    assertThatThrownBy(() -> store.lock(secrets, new char[0], CHEAP)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void randomBytesOnlyGiveTypedErrors() {
    for (int i = 0; i < 2000; i++) {
      byte[] junk = new byte[random.nextInt(200)];
      random.nextBytes(junk);
      if (junk.length >= 6 && random.nextBoolean()) {
        System.arraycopy("QPQK".getBytes(), 0, junk, 0, 4);
        junk[4] = 1;
        junk[5] = (byte) random.nextInt(2);
      }
      assertThatThrownBy(() -> LockedKeyStore.open(junk, "pw".toCharArray())).isInstanceOf(KeyStoreException.class);
      assertThatThrownBy(() -> LockedKeyStore.openUnlocked(junk)).isInstanceOf(KeyStoreException.class);
    }
  }

  @Test
  void argon2ParameterBounds() {
    assertThatThrownBy(() -> new Argon2Params(7, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Argon2Params(15, 1, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Argon2Params(64, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Argon2Params(64, 65, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Argon2Params(64, 1, 17)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Argon2Params((1 << 20) + 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}

package org.quicproquo.client.messenger;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Optional;
import org.quicproquo.core.identity.IdentityKeyPair;
import org.quicproquo.core.identity.UserName;
import org.quicproquo.core.keystore.Argon2Params;
import org.quicproquo.core.keystore.KeyStoreException;
import org.quicproquo.core.keystore.LockedKeyStore;
import org.quicproquo.core.keystore.PassphraseRequiredException;
import org.quicproquo.core.keystore.UserSecrets;
import org.quicproquo.core.keystore.WrongPassphraseException;
import org.quicproquo.core.identity.DeviceKeyPair;

/**
 * The account's private keys on disk: {@code STATE/keys}, written by {@link LockedKeyStore}
 * (Argon2id + ChaCha20-Poly1305 when a passphrase is given, otherwise explicitly unlocked).
 */
final class Account {
  static final String KEYS_FILE = "keys";

  private Account() {
  }

  /** Whether keys exist in {@code stateDir}. */
  static boolean exists(Path stateDir) {
    return Files.exists(stateDir.resolve(KEYS_FILE));
  }

  /** Loads the keys, unlocking them with {@code passphrase} if they are locked. */
  static UserSecrets load(Path stateDir, char[] passphrase) {
    Path file = stateDir.resolve(KEYS_FILE);
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (LockedKeyStore.mode(bytes) == LockedKeyStore.Mode.LOCKED) {
        if (passphrase == null || passphrase.length == 0) {
          throw new PassphraseRequiredException();
        }
        return LockedKeyStore.open(bytes, passphrase);
      }
      return LockedKeyStore.openUnlocked(bytes);
    } catch (PassphraseRequiredException e) {
      throw new PassphraseNeededException("The keys in " + file + " are locked; give the passphrase.", e);
    } catch (WrongPassphraseException e) {
      throw new MessengerException("Wrong passphrase for the keys in " + file + ".", e);
    } catch (KeyStoreException e) {
      throw new MessengerException("The key file " + file + " is damaged: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new MessengerException("Cannot read the key file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Creates fresh identity and device keys for {@code user} and writes them atomically. */
  static UserSecrets create(Path stateDir, UserName user, char[] passphrase, SecureRandom random) {
    UserSecrets secrets = new UserSecrets(user, Optional.of(IdentityKeyPair.generate(random)),
        DeviceKeyPair.generate(random));
    write(stateDir, secrets, passphrase, random);
    return secrets;
  }

  /**
   * Writes {@code secrets} atomically (a device linked to an existing account gets its keys this
   * way), locked by {@code passphrase} unless it is empty.
   */
  static void write(Path stateDir, UserSecrets secrets, char[] passphrase, SecureRandom random) {
    LockedKeyStore store = new LockedKeyStore(random);
    byte[] bytes = passphrase == null || passphrase.length == 0
        ? store.unlocked(secrets)
        : store.lock(secrets, passphrase, Argon2Params.DEFAULT);
    Path file = stateDir.resolve(KEYS_FILE);
    try {
      Files.createDirectories(stateDir);
      Path tmp = Files.createTempFile(stateDir, "keys", ".tmp");
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new MessengerException("Cannot write the key file " + file + ": " + e.getMessage(), e);
    }
  }
}

package org.quicproquo.mls.framing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CryptoException;
import org.quicproquo.mls.crypto.HpkeCiphertext;
import org.quicproquo.mls.message.EncryptedGroupSecrets;
import org.quicproquo.mls.message.GroupInfo;
import org.quicproquo.mls.message.GroupSecrets;
import org.quicproquo.mls.message.Welcome;
import org.quicproquo.mls.schedule.KeySchedule;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.KeyPackageRef;

/**
 * RFC 9420 §12.4.3.1 Welcome encryption:
 *
 * <pre>
 * welcome_key   = ExpandWithLabel(welcome_secret, "key", "", AEAD.Nk)
 * welcome_nonce = ExpandWithLabel(welcome_secret, "nonce", "", AEAD.Nn)
 * encrypted_group_info = AEAD.Seal(welcome_key, welcome_nonce, "", GroupInfo)
 * encrypted_group_secrets = EncryptWithLabel(init_key, "Welcome",
 *                                            encrypted_group_info, GroupSecrets)
 * </pre>
 *
 * The joiner side is {@link #openGroupSecrets}, then (after resolving PSKs to get psk_secret)
 * {@link #openGroupInfo}, then {@link #verifyGroupInfo}. Stateless and thread-safe.
 */
public final class WelcomeProtection {
  /** The EncryptWithLabel label of GroupSecrets. */
  public static final String LABEL = "Welcome";

  private WelcomeProtection() {}

  /** One joiner of a Welcome: its KeyPackage and the secrets it is to receive. */
  public record NewMember(KeyPackage keyPackage, GroupSecrets groupSecrets) {
    public NewMember {
      Objects.requireNonNull(keyPackage, "keyPackage");
      Objects.requireNonNull(groupSecrets, "groupSecrets");
    }
  }

  /** Builds the Welcome for {@code members} of the epoch whose welcome_secret is given. */
  public static Welcome seal(CipherSuite suite, GroupInfo groupInfo, byte[] welcomeSecret,
      List<NewMember> members) throws CryptoException {
    KeySchedule ks = new KeySchedule(suite);
    byte[] encryptedGroupInfo = suite.aeadSeal(ks.welcomeKey(welcomeSecret),
        ks.welcomeNonce(welcomeSecret), new byte[0], groupInfo.toBytes());
    List<EncryptedGroupSecrets> secrets = new ArrayList<>();
    for (NewMember m : members) {
      HpkeCiphertext ct = suite.encryptWithLabel(m.keyPackage().initKey(), LABEL,
          encryptedGroupInfo, m.groupSecrets().toBytes());
      secrets.add(new EncryptedGroupSecrets(m.keyPackage().ref(suite), ct));
    }
    return new Welcome(suite.id(), secrets, encryptedGroupInfo);
  }

  /**
   * Finds the entry for {@code myRef} and decrypts it with the KeyPackage's init private key.
   *
   * @throws FramingException CIPHER_SUITE_MISMATCH, NOT_ADDRESSED_TO_US, DECRYPTION_FAILED or
   *     MALFORMED_PLAINTEXT
   */
  public static GroupSecrets openGroupSecrets(CipherSuite suite, Welcome welcome,
      KeyPackageRef myRef, byte[] initPrivateKey) throws FramingException {
    if (welcome.cipherSuite() != suite.id()) {
      throw new FramingException(FramingException.Reason.CIPHER_SUITE_MISMATCH,
          "Welcome uses " + welcome.cipherSuite());
    }
    EncryptedGroupSecrets mine = welcome.secrets().stream()
        .filter(s -> s.newMember().equals(myRef)).findFirst()
        .orElseThrow(() -> new FramingException(FramingException.Reason.NOT_ADDRESSED_TO_US,
            "no EncryptedGroupSecrets for " + myRef));
    byte[] plain;
    try {
      plain = suite.decryptWithLabel(initPrivateKey, LABEL, welcome.encryptedGroupInfo(),
          mine.encryptedGroupSecrets());
    } catch (CryptoException e) {
      throw new FramingException(FramingException.Reason.DECRYPTION_FAILED,
          "GroupSecrets do not decrypt", e);
    }
    try {
      return TlsReader.decodeAll(plain, GroupSecrets::decode);
    } catch (DecodeException e) {
      throw new FramingException(FramingException.Reason.MALFORMED_PLAINTEXT,
          "bad GroupSecrets: " + e.getMessage(), e);
    }
  }

  /**
   * Decrypts the GroupInfo with the welcome_secret (from joiner_secret and psk_secret). The result
   * is unverified: call {@link #verifyGroupInfo}.
   */
  public static GroupInfo openGroupInfo(CipherSuite suite, Welcome welcome, byte[] welcomeSecret)
      throws FramingException {
    KeySchedule ks = new KeySchedule(suite);
    byte[] plain;
    try {
      plain = suite.aeadOpen(ks.welcomeKey(welcomeSecret), ks.welcomeNonce(welcomeSecret),
          new byte[0], welcome.encryptedGroupInfo());
    } catch (CryptoException e) {
      throw new FramingException(FramingException.Reason.DECRYPTION_FAILED,
          "GroupInfo does not decrypt", e);
    }
    try {
      return TlsReader.decodeAll(plain, GroupInfo::decode);
    } catch (DecodeException e) {
      throw new FramingException(FramingException.Reason.MALFORMED_PLAINTEXT,
          "bad GroupInfo: " + e.getMessage(), e);
    }
  }

  /**
   * Checks the GroupInfo's suite, its signature under the signer's key (taken by the caller from
   * the ratchet tree at {@code groupInfo.signer()}), and its confirmation tag against the
   * confirmation_key of the epoch it describes.
   */
  public static void verifyGroupInfo(CipherSuite suite, GroupInfo groupInfo, byte[] signerPublicKey,
      byte[] confirmationKey) throws FramingException {
    if (groupInfo.groupContext().cipherSuite() != suite.id()) {
      throw new FramingException(FramingException.Reason.CIPHER_SUITE_MISMATCH,
          "GroupInfo uses " + groupInfo.groupContext().cipherSuite());
    }
    if (!groupInfo.verifySignature(suite, signerPublicKey)) {
      throw new FramingException(FramingException.Reason.BAD_GROUP_INFO_SIGNATURE,
          "GroupInfo signature does not verify for " + groupInfo.signer());
    }
    if (!TranscriptHash.verifyConfirmationTag(suite, confirmationKey,
        groupInfo.groupContext().confirmedTranscriptHash(), groupInfo.confirmationTag())) {
      throw new FramingException(FramingException.Reason.BAD_CONFIRMATION_TAG,
          "GroupInfo confirmation tag does not verify");
    }
  }
}

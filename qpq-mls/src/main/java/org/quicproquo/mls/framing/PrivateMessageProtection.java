package org.quicproquo.mls.framing;

import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CryptoException;
import org.quicproquo.mls.message.AuthenticatedContent;
import org.quicproquo.mls.message.ContentType;
import org.quicproquo.mls.message.FramedContent;
import org.quicproquo.mls.message.GroupContext;
import org.quicproquo.mls.message.PrivateMessage;
import org.quicproquo.mls.message.PrivateMessageContent;
import org.quicproquo.mls.message.Sender;
import org.quicproquo.mls.message.SenderData;
import org.quicproquo.mls.message.WireFormat;
import org.quicproquo.mls.schedule.RatchetKey;
import org.quicproquo.mls.schedule.SenderDataKey;

/**
 * RFC 9420 §6.3 PrivateMessage encryption and decryption.
 *
 * <pre>
 *  AuthenticatedContent ──► PrivateMessageContent ──AEAD(key_gen, nonce_gen ^ reuse_guard,
 *                                                        PrivateContentAAD)──► ciphertext
 *  SenderData{leaf, gen, reuse_guard} ──AEAD(sender_data_key/nonce(sample(ciphertext)),
 *                                            SenderDataAAD)──► encrypted_sender_data
 * </pre>
 *
 * Only member senders may use PrivateMessage. Signatures are produced/checked by the caller with
 * {@link ContentSignature}; this class does the confidentiality layer. Stateless and thread-safe;
 * ratchet state lives in the {@link MessageKeySource}.
 */
public final class PrivateMessageProtection {
  private PrivateMessageProtection() {}

  /**
   * Encrypts {@code ac} (wire format private, already signed, member sender). {@code reuseGuard}
   * must be 4 fresh random bytes; {@code paddingLength} zero bytes are appended to the plaintext.
   */
  public static PrivateMessage protect(CipherSuite suite, AuthenticatedContent ac,
      byte[] senderDataSecret, MessageKeySource keys, byte[] reuseGuard, int paddingLength)
      throws MlsException {
    if (ac.wireFormat() != WireFormat.MLS_PRIVATE_MESSAGE) {
      throw new IllegalArgumentException("content was signed for " + ac.wireFormat());
    }
    if (!(ac.sender() instanceof Sender.Member member)) {
      throw new FramingException(FramingException.Reason.SENDER_NOT_ALLOWED,
          "only members can send a PrivateMessage, not " + ac.sender().type());
    }
    FramedContent fc = ac.content();
    ContentType type = fc.contentType();
    RatchetKey rk = keys.nextKey(member.leafIndex(), type);
    byte[] plaintext = new PrivateMessageContent(fc.content(), ac.auth(), paddingLength).toBytes();
    byte[] aad = privateContentAad(fc.groupId(), fc.epoch(), type, fc.authenticatedData());
    byte[] ciphertext = suite.aeadSeal(rk.key(), guardedNonce(rk.nonce(), reuseGuard), aad,
        plaintext);

    SenderData sd = new SenderData(member.leafIndex(), rk.generation(), reuseGuard);
    SenderDataKey sdk = SenderDataKey.derive(suite, senderDataSecret, ciphertext);
    byte[] sdAad = senderDataAad(fc.groupId(), fc.epoch(), type);
    byte[] encryptedSenderData = suite.aeadSeal(sdk.key(), sdk.nonce(), sdAad, sd.toBytes());
    return new PrivateMessage(fc.groupId(), fc.epoch(), type, fc.authenticatedData(),
        encryptedSenderData, ciphertext);
  }

  /**
   * Encrypts {@code ac} with a fresh random reuse guard from the suite's random source and the
   * padding {@code padding} chooses for the plaintext.
   */
  public static PrivateMessage protect(CipherSuite suite, AuthenticatedContent ac,
      byte[] senderDataSecret, MessageKeySource keys, PaddingPolicy padding) throws MlsException {
    int unpadded = new PrivateMessageContent(ac.content().content(), ac.auth(), 0).toBytes().length;
    int pad = padding.paddingLength(unpadded);
    if (pad < 0) {
      throw new IllegalArgumentException("negative padding from policy: " + pad);
    }
    return protect(suite, ac, senderDataSecret, keys,
        suite.randomBytes(SenderData.REUSE_GUARD_LENGTH), pad);
  }

  /** Decrypts only the sender data of {@code msg} (§6.3.2). */
  public static SenderData decryptSenderData(CipherSuite suite, PrivateMessage msg,
      byte[] senderDataSecret) throws FramingException {
    SenderDataKey sdk = SenderDataKey.derive(suite, senderDataSecret, msg.ciphertext());
    byte[] sdAad = senderDataAad(msg.groupId(), msg.epoch(), msg.contentType());
    byte[] plain;
    try {
      plain = suite.aeadOpen(sdk.key(), sdk.nonce(), sdAad, msg.encryptedSenderData());
    } catch (CryptoException e) {
      throw new FramingException(FramingException.Reason.DECRYPTION_FAILED,
          "sender data does not decrypt", e);
    }
    try {
      return TlsReader.decodeAll(plain, SenderData::decode);
    } catch (DecodeException e) {
      throw new FramingException(FramingException.Reason.MALFORMED_PLAINTEXT,
          "bad SenderData: " + e.getMessage(), e);
    }
  }

  /**
   * Checks that {@code msg} belongs to the group and epoch of {@code context}, then decrypts it as
   * {@link #unprotect(CipherSuite, PrivateMessage, byte[], MessageKeySource)} does.
   */
  public static AuthenticatedContent unprotect(CipherSuite suite, PrivateMessage msg,
      GroupContext context, byte[] senderDataSecret, MessageKeySource keys) throws MlsException {
    if (!java.util.Arrays.equals(msg.groupId(), context.groupId())
        || msg.epoch() != context.epoch()) {
      throw new FramingException(FramingException.Reason.WRONG_GROUP_OR_EPOCH,
          "PrivateMessage for epoch " + msg.epoch());
    }
    return unprotect(suite, msg, senderDataSecret, keys);
  }

  /**
   * Decrypts {@code msg} and returns its AuthenticatedContent (wire format private, member sender).
   * The caller must still check that the group id and epoch are its own and verify the signature.
   * The content key is taken with {@link MessageKeySource#peekKey} and consumed only once the
   * content AEAD check passed, so a message failing it (or its sender data) leaves the key source
   * as it was.
   */
  public static AuthenticatedContent unprotect(CipherSuite suite, PrivateMessage msg,
      byte[] senderDataSecret, MessageKeySource keys) throws MlsException {
    SenderData sd = decryptSenderData(suite, msg, senderDataSecret);
    MessageKeySource.PendingKey pending;
    try {
      pending = keys.peekKey(sd.leafIndex(), msg.contentType(), sd.generation());
    } catch (FramingException e) {
      throw e;
    } catch (MlsException e) {
      throw new FramingException(FramingException.Reason.NO_KEY,
          "no key for leaf " + sd.leafIndex() + " generation " + sd.generation(), e);
    }
    byte[] aad = privateContentAad(msg.groupId(), msg.epoch(), msg.contentType(),
        msg.authenticatedData());
    RatchetKey rk = pending.key();
    byte[] plain;
    try {
      plain = suite.aeadOpen(rk.key(), guardedNonce(rk.nonce(), sd.reuseGuard()), aad,
          msg.ciphertext());
    } catch (CryptoException e) {
      // The key stays unconsumed: a forged ciphertext must not burn the generation.
      throw new FramingException(FramingException.Reason.DECRYPTION_FAILED,
          "content does not decrypt", e);
    }
    // Authentic ciphertext under this generation's key: the key is used, delete it (§9.2) even
    // if the plaintext turns out malformed.
    try {
      pending.consume();
    } catch (FramingException e) {
      throw e;
    } catch (MlsException e) {
      throw new FramingException(FramingException.Reason.NO_KEY,
          "key of leaf " + sd.leafIndex() + " generation " + sd.generation() + " is gone", e);
    }
    PrivateMessageContent pmc;
    try {
      pmc = PrivateMessageContent.decode(plain, msg.contentType());
    } catch (DecodeException e) {
      throw new FramingException(FramingException.Reason.MALFORMED_PLAINTEXT,
          "bad PrivateMessageContent: " + e.getMessage(), e);
    }
    FramedContent fc = new FramedContent(msg.groupId(), msg.epoch(), Sender.member(sd.leafIndex()),
        msg.authenticatedData(), pmc.content());
    return new AuthenticatedContent(WireFormat.MLS_PRIVATE_MESSAGE, fc, pmc.auth());
  }

  /**
   * RFC 9420 §6.3.1:
   *
   * <pre>
   * struct {
   *     opaque group_id&lt;V&gt;;
   *     uint64 epoch;
   *     ContentType content_type;
   *     opaque authenticated_data&lt;V&gt;;
   * } PrivateContentAAD;
   * </pre>
   */
  static byte[] privateContentAad(byte[] groupId, long epoch, ContentType type,
      byte[] authenticatedData) {
    return new TlsWriter().opaque(groupId).u64(epoch).u8(type.code()).opaque(authenticatedData)
        .toByteArray();
  }

  /**
   * RFC 9420 §6.3.2:
   *
   * <pre>
   * struct {
   *     opaque group_id&lt;V&gt;;
   *     uint64 epoch;
   *     ContentType content_type;
   * } SenderDataAAD;
   * </pre>
   */
  static byte[] senderDataAad(byte[] groupId, long epoch, ContentType type) {
    return new TlsWriter().opaque(groupId).u64(epoch).u8(type.code()).toByteArray();
  }

  /** §6.3.1: the reuse guard is XORed into the first four bytes of the ratchet nonce. */
  static byte[] guardedNonce(byte[] nonce, byte[] reuseGuard) {
    if (reuseGuard.length != SenderData.REUSE_GUARD_LENGTH) {
      throw new IllegalArgumentException("reuse_guard must be 4 bytes");
    }
    byte[] out = nonce.clone();
    for (int i = 0; i < reuseGuard.length; i++) {
      out[i] ^= reuseGuard[i];
    }
    return out;
  }
}

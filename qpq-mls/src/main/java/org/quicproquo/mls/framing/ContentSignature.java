package org.quicproquo.mls.framing;

import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CryptoException;
import org.quicproquo.mls.message.AuthenticatedContent;
import org.quicproquo.mls.message.FramedContent;
import org.quicproquo.mls.message.FramedContentTBS;
import org.quicproquo.mls.message.GroupContext;
import org.quicproquo.mls.message.WireFormat;

/**
 * RFC 9420 §6.1 content signatures:
 *
 * <pre>
 * signature = SignWithLabel(signature_key, "FramedContentTBS", FramedContentTBS)
 * </pre>
 *
 * The GroupContext enters the TBS only for member and new_member_commit senders; for other senders
 * the {@code context} argument is ignored and may be null. Stateless and thread-safe.
 */
public final class ContentSignature {
  /** The SignWithLabel label (§6.1). */
  public static final String LABEL = "FramedContentTBS";

  private ContentSignature() {}

  /** Signs {@code content} as it will be sent in {@code wireFormat}. */
  public static byte[] sign(CipherSuite suite, WireFormat wireFormat, FramedContent content,
      GroupContext context, byte[] signaturePrivateKey) throws CryptoException {
    byte[] tbs = FramedContentTBS.of(wireFormat, content, context).toBytes();
    return suite.signWithLabel(signaturePrivateKey, LABEL, tbs);
  }

  /** True if the signature of {@code ac} verifies under {@code signaturePublicKey}. */
  public static boolean verify(CipherSuite suite, AuthenticatedContent ac, GroupContext context,
      byte[] signaturePublicKey) {
    byte[] tbs = FramedContentTBS.of(ac.wireFormat(), ac.content(), context).toBytes();
    return suite.verifyWithLabel(signaturePublicKey, LABEL, tbs, ac.auth().signature());
  }

  /** Like {@link #verify} but throws {@link FramingException} (BAD_SIGNATURE) on failure. */
  public static void check(CipherSuite suite, AuthenticatedContent ac, GroupContext context,
      byte[] signaturePublicKey) throws FramingException {
    if (!verify(suite, ac, context, signaturePublicKey)) {
      throw new FramingException(FramingException.Reason.BAD_SIGNATURE,
          "content signature does not verify for " + ac.sender());
    }
  }
}

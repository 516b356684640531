package org.quicproquo.mls.framing;

import java.security.MessageDigest;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.message.AuthenticatedContent;
import org.quicproquo.mls.message.ContentType;

/**
 * RFC 9420 §8.2 transcript hashes and §6.1 confirmation tag:
 *
 * <pre>
 * struct {
 *     WireFormat wire_format;
 *     FramedContent content; // with content_type == commit
 *     opaque signature&lt;V&gt;;
 * } ConfirmedTranscriptHashInput;
 *
 * struct {
 *     MAC confirmation_tag;
 * } InterimTranscriptHashInput;
 *
 * confirmed_transcript_hash_[epoch] =
 *     Hash(interim_transcript_hash_[epoch - 1] ||
 *         ConfirmedTranscriptHashInput_[epoch]);
 *
 * interim_transcript_hash_[epoch] =
 *     Hash(confirmed_transcript_hash_[epoch] ||
 *         InterimTranscriptHashInput_[epoch]);
 *
 * confirmation_tag = MAC(confirmation_key, GroupContext.confirmed_transcript_hash)
 * </pre>
 */
public final class TranscriptHash {
  private TranscriptHash() {}

  /** The encoded ConfirmedTranscriptHashInput of a commit. */
  public static byte[] confirmedInput(AuthenticatedContent commit) {
    return confirmedInput(new byte[0], commit);
  }

  /**
   * {@code prefix || ConfirmedTranscriptHashInput} in one buffer sized up front (a commit can be
   * megabytes; growing and concatenating would copy it several times).
   */
  private static byte[] confirmedInput(byte[] prefix, AuthenticatedContent commit) {
    requireCommit(commit);
    byte[] signature = commit.auth().signature();
    TlsWriter w = new TlsWriter(prefix.length + 2 + commit.content().encodedLength()
        + TlsWriter.varintLength(signature.length) + signature.length);
    w.raw(prefix);
    w.u16(commit.wireFormat().code());
    commit.content().encode(w);
    w.opaque(signature);
    return w.finish();
  }

  /** confirmed_transcript_hash of the epoch that {@code commit} creates. */
  public static byte[] confirmed(CipherSuite suite, byte[] interimBefore,
      AuthenticatedContent commit) {
    return suite.hash(confirmedInput(interimBefore, commit));
  }

  /** interim_transcript_hash from a confirmed hash and the commit's confirmation tag. */
  public static byte[] interim(CipherSuite suite, byte[] confirmed, byte[] confirmationTag) {
    byte[] input = new TlsWriter().opaque(confirmationTag).toByteArray();
    return suite.hash(concat(confirmed, input));
  }

  /** interim_transcript_hash after {@code commit}, whose confirmation tag must be present. */
  public static byte[] interim(CipherSuite suite, byte[] confirmed, AuthenticatedContent commit) {
    requireCommit(commit);
    return interim(suite, confirmed, commit.auth().confirmationTag());
  }

  /** MAC(confirmation_key, confirmed_transcript_hash). */
  public static byte[] confirmationTag(CipherSuite suite, byte[] confirmationKey,
      byte[] confirmedTranscriptHash) {
    return suite.mac(confirmationKey, confirmedTranscriptHash);
  }

  /** Constant-time check of a confirmation tag. */
  public static boolean verifyConfirmationTag(CipherSuite suite, byte[] confirmationKey,
      byte[] confirmedTranscriptHash, byte[] tag) {
    return MessageDigest.isEqual(confirmationTag(suite, confirmationKey, confirmedTranscriptHash),
        tag);
  }

  private static void requireCommit(AuthenticatedContent ac) {
    if (ac.content().contentType() != ContentType.COMMIT) {
      throw new IllegalArgumentException("transcript hashes cover commits only");
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

package org.quicproquo.mls.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.framing.TranscriptHash;
import org.quicproquo.mls.message.AuthenticatedContent;
import org.quicproquo.mls.message.ContentType;

/**
 * {@code transcript-hashes.json}: from {@code interim_transcript_hash_before} and the commit's
 * AuthenticatedContent, recompute the confirmed and interim transcript hashes (§8.2), and check that
 * the commit's confirmation tag verifies under {@code confirmation_key} over the new confirmed hash.
 */
final class TranscriptHashesVectors implements VectorKind {
  @Override
  public String name() {
    return "transcript-hashes";
  }

  @Override
  public List<VectorCase> cases(JsonNode root) throws VectorFormatException {
    List<VectorCase> out = new ArrayList<>();
    int i = 0;
    for (JsonNode c : root) {
      out.add(new Case(i++, CryptoJson.number(c, "cipher_suite"),
          CryptoJson.hex(c, "confirmation_key"), CryptoJson.hex(c, "authenticated_content"),
          CryptoJson.hex(c, "interim_transcript_hash_before"),
          CryptoJson.text(c, "confirmed_transcript_hash_after"),
          CryptoJson.text(c, "interim_transcript_hash_after")));
    }
    return out;
  }

  private record Case(int index, long suiteCode, byte[] confirmationKey, byte[] content,
      byte[] interimBefore, String confirmedAfter, String interimAfter) implements VectorCase {
    @Override
    public String name() {
      return "case " + index + " cipher_suite=" + suiteCode;
    }

    @Override
    public void check() throws Exception {
      CipherSuite suite = CryptoJson.suite(suiteCode);
      AuthenticatedContent ac = TlsReader.decodeAll(content, AuthenticatedContent::decode);
      VectorMismatch.expectHex("authenticated_content", Hex.encode(content), ac.toBytes());
      VectorMismatch.expect("content_type", ContentType.COMMIT, ac.content().contentType());
      byte[] confirmed = TranscriptHash.confirmed(suite, interimBefore, ac);
      VectorMismatch.expectHex("confirmed_transcript_hash_after", confirmedAfter, confirmed);
      VectorMismatch.expect("confirmation_tag verifies", true,
          TranscriptHash.verifyConfirmationTag(suite, confirmationKey, confirmed,
              ac.auth().confirmationTag()));
      VectorMismatch.expectHex("interim_transcript_hash_after", interimAfter,
          TranscriptHash.interim(suite, confirmed, ac));
    }
  }
}

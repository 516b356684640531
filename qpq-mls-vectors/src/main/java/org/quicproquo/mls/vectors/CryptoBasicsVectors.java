package org.quicproquo.mls.vectors;

import static org.quicproquo.mls.vectors.CryptoJson.field;
import static org.quicproquo.mls.vectors.CryptoJson.hex;
import static org.quicproquo.mls.vectors.CryptoJson.number;
import static org.quicproquo.mls.vectors.CryptoJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.HpkeCiphertext;

/**
 * {@code crypto-basics}: RefHash, ExpandWithLabel, DeriveSecret, DeriveTreeSecret, SignWithLabel and
 * EncryptWithLabel of one cipher suite per case (test-vectors.md, "Cryptographic Basics").
 */
public final class CryptoBasicsVectors implements VectorKind {
  @Override
  public String name() {
    return "crypto-basics";
  }

  @Override
  public List<VectorCase> cases(JsonNode root) throws VectorFormatException {
    List<VectorCase> out = new ArrayList<>();
    for (JsonNode n : root) {
      out.add(Case.parse(n));
    }
    return out;
  }

  record RefHash(String label, byte[] value, byte[] out) {}

  record ExpandWithLabel(byte[] secret, String label, byte[] context, int length, byte[] out) {}

  record DeriveSecret(byte[] secret, String label, byte[] out) {}

  record DeriveTreeSecret(byte[] secret, String label, long generation, int length, byte[] out) {}

  record SignWithLabel(byte[] priv, byte[] pub, byte[] content, String label, byte[] signature) {}

  record EncryptWithLabel(byte[] priv, byte[] pub, String label, byte[] context, byte[] plaintext,
      byte[] kemOutput, byte[] ciphertext) {}

  /** One suite's values. */
  record Case(long cipherSuite, RefHash refHash, ExpandWithLabel expandWithLabel,
      DeriveSecret deriveSecret, DeriveTreeSecret deriveTreeSecret, SignWithLabel signWithLabel,
      EncryptWithLabel encryptWithLabel) implements VectorCase {

    static Case parse(JsonNode n) throws VectorFormatException {
      JsonNode rh = field(n, "ref_hash");
      JsonNode ewl = field(n, "expand_with_label");
      JsonNode ds = field(n, "derive_secret");
      JsonNode dts = field(n, "derive_tree_secret");
      JsonNode swl = field(n, "sign_with_label");
      JsonNode enc = field(n, "encrypt_with_label");
      return new Case(number(n, "cipher_suite"),
          new RefHash(text(rh, "label"), hex(rh, "value"), hex(rh, "out")),
          new ExpandWithLabel(hex(ewl, "secret"), text(ewl, "label"), hex(ewl, "context"),
              (int) number(ewl, "length"), hex(ewl, "out")),
          new DeriveSecret(hex(ds, "secret"), text(ds, "label"), hex(ds, "out")),
          new DeriveTreeSecret(hex(dts, "secret"), text(dts, "label"), number(dts, "generation"),
              (int) number(dts, "length"), hex(dts, "out")),
          new SignWithLabel(hex(swl, "priv"), hex(swl, "pub"), hex(swl, "content"), text(swl, "label"),
              hex(swl, "signature")),
          new EncryptWithLabel(hex(enc, "priv"), hex(enc, "pub"), text(enc, "label"),
              hex(enc, "context"), hex(enc, "plaintext"), hex(enc, "kem_output"),
              hex(enc, "ciphertext")));
    }

    @Override
    public String name() {
      return "cipher_suite=" + cipherSuite;
    }

    @Override
    public void check() throws Exception {
      CipherSuite cs = CryptoJson.suite(cipherSuite);

      VectorMismatch.expectHex("ref_hash.out", Hex.encode(refHash.out),
          cs.refHash(refHash.label, refHash.value));

      VectorMismatch.expectHex("expand_with_label.out", Hex.encode(expandWithLabel.out),
          cs.expandWithLabel(expandWithLabel.secret, expandWithLabel.label, expandWithLabel.context,
              expandWithLabel.length));

      VectorMismatch.expectHex("derive_secret.out", Hex.encode(deriveSecret.out),
          cs.deriveSecret(deriveSecret.secret, deriveSecret.label));

      VectorMismatch.expectHex("derive_tree_secret.out", Hex.encode(deriveTreeSecret.out),
          cs.deriveTreeSecret(deriveTreeSecret.secret, deriveTreeSecret.label,
              deriveTreeSecret.generation, deriveTreeSecret.length));

      SignWithLabel s = signWithLabel;
      VectorMismatch.expectHex("sign_with_label.pub", Hex.encode(s.pub), cs.signaturePublicKey(s.priv));
      VectorMismatch.expect("sign_with_label.signature verifies", true,
          cs.verifyWithLabel(s.pub, s.label, s.content, s.signature));
      byte[] ours = cs.signWithLabel(s.priv, s.label, s.content);
      VectorMismatch.expect("sign_with_label: own signature verifies", true,
          cs.verifyWithLabel(s.pub, s.label, s.content, ours));
      byte[] otherContent = Arrays.copyOf(s.content, s.content.length + 1);
      VectorMismatch.expect("sign_with_label: signature over other content rejected", false,
          cs.verifyWithLabel(s.pub, s.label, otherContent, s.signature));

      EncryptWithLabel e = encryptWithLabel;
      VectorMismatch.expectHex("encrypt_with_label.pub", Hex.encode(e.pub), cs.hpkePublicKey(e.priv));
      VectorMismatch.expectHex("encrypt_with_label.plaintext", Hex.encode(e.plaintext),
          cs.decryptWithLabel(e.priv, e.label, e.context, new HpkeCiphertext(e.kemOutput, e.ciphertext)));
      HpkeCiphertext fresh = cs.encryptWithLabel(e.pub, e.label, e.context, e.plaintext);
      VectorMismatch.expectHex("encrypt_with_label: own ciphertext decrypts", Hex.encode(e.plaintext),
          cs.decryptWithLabel(e.priv, e.label, e.context, fresh));
    }
  }
}

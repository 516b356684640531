package org.quicproquo.mls.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.SignatureKeyPair;
import org.quicproquo.mls.group.ExternalPsks;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.GroupOptions;
import org.quicproquo.mls.group.KeyPackageBundle;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Welcome;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.RatchetTree;

/**
 * The {@code passive-client-*} files (test-vectors.md, "Passive Client"): join from
 * {@code welcome} with {@code key_package} and its private keys (and {@code ratchet_tree} when
 * the Welcome carries none), compare {@code initial_epoch_authenticator}, then for each epoch
 * process its proposals and commit and compare that epoch's {@code epoch_authenticator}.
 * One kind per file name ({@code passive-client-welcome}, {@code -handling-commit},
 * {@code -random}); they share the format.
 */
final class PassiveClientVectors implements VectorKind {
  private final String name;

  PassiveClientVectors(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<VectorCase> cases(JsonNode root) throws VectorFormatException {
    List<VectorCase> out = new ArrayList<>();
    int i = 0;
    for (JsonNode c : root) {
      List<byte[][]> psks = new ArrayList<>();
      for (JsonNode p : CryptoJson.array(c, "external_psks")) {
        psks.add(new byte[][] {CryptoJson.hex(p, "psk_id"), CryptoJson.hex(p, "psk")});
      }
      JsonNode tree = c.get("ratchet_tree");
      List<Epoch> epochs = new ArrayList<>();
      for (JsonNode e : CryptoJson.array(c, "epochs")) {
        List<byte[]> proposals = new ArrayList<>();
        for (JsonNode p : CryptoJson.array(e, "proposals")) {
          if (!p.isTextual()) {
            throw new VectorFormatException("proposal is not a hex string");
          }
          proposals.add(Hex.decode(p.asText()));
        }
        epochs.add(new Epoch(proposals, CryptoJson.hex(e, "commit"),
            CryptoJson.text(e, "epoch_authenticator")));
      }
      out.add(new Case(i++, CryptoJson.number(c, "cipher_suite"),
          CryptoJson.hex(c, "key_package"), CryptoJson.hex(c, "signature_priv"),
          CryptoJson.hex(c, "encryption_priv"), CryptoJson.hex(c, "init_priv"),
          CryptoJson.hex(c, "welcome"),
          tree == null || tree.isNull() ? null : CryptoJson.hex(c, "ratchet_tree"), psks,
          CryptoJson.text(c, "initial_epoch_authenticator"), epochs));
    }
    return out;
  }

  /**
   * Some P-521 private keys in the vectors are minimal big-endian encodings (65 bytes when the
   * top byte is zero); the library takes the fixed 66-byte scalar of the CipherSuite contract.
   * Left-padding with zeros gives the same scalar.
   */
  static byte[] scalar(long suiteCode, byte[] key) {
    int size = suiteCode == 5 ? 66 : key.length;
    if (key.length >= size) {
      return key;
    }
    byte[] out = new byte[size];
    System.arraycopy(key, 0, out, size - key.length, key.length);
    return out;
  }

  private record Epoch(List<byte[]> proposals, byte[] commit, String epochAuthenticator) {}

  private record Case(int index, long suiteCode, byte[] keyPackage, byte[] signaturePriv,
      byte[] encryptionPriv, byte[] initPriv, byte[] welcome, byte[] ratchetTree,
      List<byte[][]> psks, String initialAuthenticator, List<Epoch> epochs)
      implements VectorCase {
    @Override
    public String name() {
      return "case " + index + " cipher_suite=" + suiteCode + " epochs=" + epochs.size()
          + (ratchetTree == null ? "" : " tree out of band") + " psks=" + psks.size();
    }

    @Override
    public void check() throws Exception {
      CipherSuite suite = CryptoJson.suite(suiteCode);
      KeyPackage kp = MLSMessage.fromBytes(keyPackage).as(KeyPackage.class);
      SignatureKeyPair sig = new SignatureKeyPair(scalar(suiteCode, signaturePriv),
          kp.leafNode().signatureKey());
      KeyPackageBundle bundle = new KeyPackageBundle(kp, scalar(suiteCode, initPriv),
          scalar(suiteCode, encryptionPriv), sig);
      ExternalPsks known = ExternalPsks.none();
      for (byte[][] p : psks) {
        known = known.with(p[0], p[1]);
      }
      Optional<RatchetTree> tree = ratchetTree == null ? Optional.empty()
          : Optional.of(RatchetTree.decode(suite, ratchetTree));
      Welcome w = MLSMessage.fromBytes(welcome).as(Welcome.class);
      // The vectors' key packages have lifetimes of their generation time (2023-2024); lifetimes
      // are checked against the group's clock, so it is set to one day after this key package's
      // not_before, when every key package of the run was valid.
      Clock atGeneration = Clock.fixed(
          Instant.ofEpochSecond(kp.leafNode().lifetime().notBefore()).plus(Duration.ofDays(1)),
          ZoneOffset.UTC);
      Group g = Group.join(suite, w, bundle, tree, known,
          GroupOptions.defaults().withClock(atGeneration));
      VectorMismatch.expectHex("initial_epoch_authenticator", initialAuthenticator,
          g.epochAuthenticator());
      int e = 0;
      for (Epoch epoch : epochs) {
        for (byte[] p : epoch.proposals()) {
          g.process(MLSMessage.fromBytes(p));
        }
        g.process(MLSMessage.fromBytes(epoch.commit()));
        VectorMismatch.expectHex("epochs[" + e + "].epoch_authenticator",
            epoch.epochAuthenticator(), g.epochAuthenticator());
        e++;
      }
    }
  }
}

package org.quicproquo.mls.vectors;

import static org.quicproquo.mls.vectors.CryptoJson.array;
import static org.quicproquo.mls.vectors.CryptoJson.field;
import static org.quicproquo.mls.vectors.CryptoJson.hex;
import static org.quicproquo.mls.vectors.CryptoJson.number;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.schedule.RatchetKey;
import org.quicproquo.mls.schedule.RatchetType;
import org.quicproquo.mls.schedule.SecretTree;
import org.quicproquo.mls.schedule.SenderDataKey;

/**
 * {@code secret-tree}: sender-data key/nonce (§6.3.2) and the handshake/application keys and
 * nonces of chosen generations of every leaf (§9) (test-vectors.md, "Secret Tree").
 */
public final class SecretTreeVectors implements VectorKind {
  @Override
  public String name() {
    return "secret-tree";
  }

  @Override
  public List<VectorCase> cases(JsonNode root) throws VectorFormatException {
    List<VectorCase> out = new ArrayList<>();
    for (JsonNode n : root) {
      JsonNode sd = field(n, "sender_data");
      List<List<Generation>> leaves = new ArrayList<>();
      for (JsonNode leaf : array(n, "leaves")) {
        List<Generation> gens = new ArrayList<>();
        for (JsonNode g : leaf) {
          gens.add(new Generation(number(g, "generation"), hex(g, "handshake_key"),
              hex(g, "handshake_nonce"), hex(g, "application_key"), hex(g, "application_nonce")));
        }
        leaves.add(gens);
      }
      out.add(new Case(number(n, "cipher_suite"), hex(sd, "sender_data_secret"), hex(sd, "ciphertext"),
          hex(sd, "key"), hex(sd, "nonce"), hex(n, "encryption_secret"), leaves));
    }
    return out;
  }

  /** Expected keys of one generation of one leaf. */
  record Generation(long generation, byte[] handshakeKey, byte[] handshakeNonce, byte[] applicationKey,
      byte[] applicationNonce) {}

  /** One tree. */
  record Case(long cipherSuite, byte[] senderDataSecret, byte[] ciphertext, byte[] senderDataKey,
      byte[] senderDataNonce, byte[] encryptionSecret, List<List<Generation>> leaves)
      implements VectorCase {
    @Override
    public String name() {
      return "cipher_suite=" + cipherSuite + " n_leaves=" + leaves.size();
    }

    @Override
    public void check() throws Exception {
      CipherSuite cs = CryptoJson.suite(cipherSuite);
      SenderDataKey sd = SenderDataKey.derive(cs, senderDataSecret, ciphertext);
      VectorMismatch.expectHex("sender_data.key", Hex.encode(senderDataKey), sd.key());
      VectorMismatch.expectHex("sender_data.nonce", Hex.encode(senderDataNonce), sd.nonce());

      SecretTree tree = new SecretTree(cs, encryptionSecret, leaves.size());
      for (int leaf = 0; leaf < leaves.size(); leaf++) {
        for (Generation g : leaves.get(leaf)) {
          String p = "leaves[" + leaf + "] generation " + g.generation + ".";
          RatchetKey hs = tree.receiveKey(org.quicproquo.mls.tree.LeafIndex.of(leaf), RatchetType.HANDSHAKE, g.generation);
          VectorMismatch.expectHex(p + "handshake_key", Hex.encode(g.handshakeKey), hs.key());
          VectorMismatch.expectHex(p + "handshake_nonce", Hex.encode(g.handshakeNonce), hs.nonce());
          RatchetKey app = tree.receiveKey(org.quicproquo.mls.tree.LeafIndex.of(leaf), RatchetType.APPLICATION, g.generation);
          VectorMismatch.expectHex(p + "application_key", Hex.encode(g.applicationKey), app.key());
          VectorMismatch.expectHex(p + "application_nonce", Hex.encode(g.applicationNonce), app.nonce());
        }
      }
    }
  }
}

package org.quicproquo.mls.vectors;

import static org.quicproquo.mls.vectors.CryptoJson.array;
import static org.quicproquo.mls.vectors.CryptoJson.hex;
import static org.quicproquo.mls.vectors.CryptoJson.number;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.quicproquo.mls.schedule.PreSharedKeyId;
import org.quicproquo.mls.schedule.PskSecret;

/**
 * {@code psk_secret}: the §8.4 chain over external PSKs (test-vectors.md, "Pre-Shared Keys"). Each
 * PSK id is also round-tripped through the PreSharedKeyID codec.
 */
public final class PskSecretVectors implements VectorKind {
  @Override
  public String name() {
    return "psk_secret";
  }

  @Override
  public List<VectorCase> cases(JsonNode root) throws VectorFormatException {
    List<VectorCase> out = new ArrayList<>();
    for (JsonNode n : root) {
      List<Psk> psks = new ArrayList<>();
      for (JsonNode p : array(n, "psks")) {
        psks.add(new Psk(hex(p, "psk_id"), hex(p, "psk"), hex(p, "psk_nonce")));
      }
      out.add(new Case(number(n, "cipher_suite"), psks, hex(n, "psk_secret")));
    }
    return out;
  }

  /** One external PSK. */
  record Psk(byte[] pskId, byte[] psk, byte[] pskNonce) {}

  /** A list of PSKs and the resulting psk_secret. */
  record Case(long cipherSuite, List<Psk> psks, byte[] pskSecret) implements VectorCase {
    @Override
    public String name() {
      return "cipher_suite=" + cipherSuite + " psks=" + psks.size();
    }

    @Override
    public void check() throws Exception {
      List<PskSecret.ResolvedPsk> resolved = new ArrayList<>();
      for (Psk p : psks) {
        PreSharedKeyId id = new PreSharedKeyId.External(p.pskId, p.pskNonce);
        PreSharedKeyId again = org.quicproquo.mls.codec.TlsReader.decodeAll(id.toBytes(),
            PreSharedKeyId::decode);
        VectorMismatch.expect("PreSharedKeyID round trip", id, again);
        resolved.add(new PskSecret.ResolvedPsk(id, p.psk));
      }
      VectorMismatch.expectHex("psk_secret", Hex.encode(pskSecret),
          PskSecret.compute(CryptoJson.suite(cipherSuite), resolved));
    }
  }
}

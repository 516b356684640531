package org.quicproquo.mls.vectors;

import static org.quicproquo.mls.vectors.CryptoJson.array;
import static org.quicproquo.mls.vectors.CryptoJson.field;
import static org.quicproquo.mls.vectors.CryptoJson.hex;
import static org.quicproquo.mls.vectors.CryptoJson.number;
import static org.quicproquo.mls.vectors.CryptoJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.message.GroupContext;
import org.quicproquo.mls.schedule.EpochSecrets;
import org.quicproquo.mls.schedule.KeySchedule;

/**
 * {@code key-schedule}: a chain of epochs from {@code initial_init_secret} (test-vectors.md, "Key
 * Schedule"). Each epoch's GroupContext is rebuilt from its fields, every secret is recomputed, and
 * the joiner path (from {@code joiner_secret}) must agree with the member path. The exporter
 * label is a JSON string used as the label text as it stands (it happens to look like hex).
 */
public final class KeyScheduleVectors implements VectorKind {
  @Override
  public String name() {
    return "key-schedule";
  }

  @Override
  public List<VectorCase> cases(JsonNode root) throws VectorFormatException {
    List<VectorCase> out = new ArrayList<>();
    for (JsonNode n : root) {
      List<Epoch> epochs = new ArrayList<>();
      for (JsonNode e : array(n, "epochs")) {
        epochs.add(Epoch.parse(e));
      }
      out.add(new Case(number(n, "cipher_suite"), hex(n, "group_id"), hex(n, "initial_init_secret"),
          epochs));
    }
    return out;
  }

  /** One epoch's inputs and expected outputs. */
  record Epoch(byte[] treeHash, byte[] commitSecret, byte[] pskSecret, byte[] confirmedTranscriptHash,
      byte[] groupContext, byte[] joinerSecret, byte[] welcomeSecret, byte[] initSecret,
      byte[] senderDataSecret, byte[] encryptionSecret, byte[] exporterSecret,
      byte[] epochAuthenticator, byte[] externalSecret, byte[] confirmationKey, byte[] membershipKey,
      byte[] resumptionPsk, byte[] externalPub, String exporterLabel, byte[] exporterContext,
      int exporterLength, byte[] exportedSecret) {

    static Epoch parse(JsonNode e) throws VectorFormatException {
      JsonNode x = field(e, "exporter");
      return new Epoch(hex(e, "tree_hash"), hex(e, "commit_secret"), hex(e, "psk_secret"),
          hex(e, "confirmed_transcript_hash"), hex(e, "group_context"), hex(e, "joiner_secret"),
          hex(e, "welcome_secret"), hex(e, "init_secret"), hex(e, "sender_data_secret"),
          hex(e, "encryption_secret"), hex(e, "exporter_secret"), hex(e, "epoch_authenticator"),
          hex(e, "external_secret"), hex(e, "confirmation_key"), hex(e, "membership_key"),
          hex(e, "resumption_psk"), hex(e, "external_pub"), text(x, "label"), hex(x, "context"),
          (int) number(x, "length"), hex(x, "secret"));
    }
  }

  /** One group's chain of epochs. */
  record Case(long cipherSuite, byte[] groupId, byte[] initialInitSecret, List<Epoch> epochs)
      implements VectorCase {
    @Override
    public String name() {
      return "cipher_suite=" + cipherSuite + " epochs=" + epochs.size();
    }

    @Override
    public void check() throws Exception {
      CipherSuite cs = CryptoJson.suite(cipherSuite);
      KeySchedule ks = new KeySchedule(cs);
      byte[] init = initialInitSecret;
      for (int i = 0; i < epochs.size(); i++) {
        Epoch e = epochs.get(i);
        String p = "epochs[" + i + "].";
        GroupContext gc = new GroupContext(cs.id(), groupId, i, e.treeHash, e.confirmedTranscriptHash,
            List.of());
        VectorMismatch.expectHex(p + "group_context", Hex.encode(e.groupContext), gc.toBytes());

        EpochSecrets s = ks.advance(init, e.commitSecret, e.pskSecret, gc);
        VectorMismatch.expectHex(p + "joiner_secret", Hex.encode(e.joinerSecret), s.joinerSecret());
        VectorMismatch.expectHex(p + "welcome_secret", Hex.encode(e.welcomeSecret), s.welcomeSecret());
        VectorMismatch.expectHex(p + "init_secret", Hex.encode(e.initSecret), s.initSecret());
        VectorMismatch.expectHex(p + "sender_data_secret", Hex.encode(e.senderDataSecret),
            s.senderDataSecret());
        VectorMismatch.expectHex(p + "encryption_secret", Hex.encode(e.encryptionSecret),
            s.encryptionSecret());
        VectorMismatch.expectHex(p + "exporter_secret", Hex.encode(e.exporterSecret), s.exporterSecret());
        VectorMismatch.expectHex(p + "epoch_authenticator", Hex.encode(e.epochAuthenticator),
            s.epochAuthenticator());
        VectorMismatch.expectHex(p + "external_secret", Hex.encode(e.externalSecret), s.externalSecret());
        VectorMismatch.expectHex(p + "confirmation_key", Hex.encode(e.confirmationKey),
            s.confirmationKey());
        VectorMismatch.expectHex(p + "membership_key", Hex.encode(e.membershipKey), s.membershipKey());
        VectorMismatch.expectHex(p + "resumption_psk", Hex.encode(e.resumptionPsk), s.resumptionPsk());
        VectorMismatch.expectHex(p + "external_pub", Hex.encode(e.externalPub),
            ks.externalPub(s.externalSecret()));
        VectorMismatch.expectHex(p + "exporter.secret", Hex.encode(e.exportedSecret),
            ks.export(s.exporterSecret(), e.exporterLabel, e.exporterContext, e.exporterLength));

        EpochSecrets joined = ks.fromJoinerSecret(e.joinerSecret, e.pskSecret, gc);
        VectorMismatch.expect(p + "joiner path secrets", s, joined);
        VectorMismatch.expectHex(p + "welcome_secret (joiner)", Hex.encode(e.welcomeSecret),
            ks.welcomeSecret(e.joinerSecret, e.pskSecret));
        init = s.initSecret();
      }
    }
  }
}

package org.quicproquo.mls.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.framing.WelcomeProtection;
import org.quicproquo.mls.message.GroupInfo;
import org.quicproquo.mls.message.GroupSecrets;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Welcome;
import org.quicproquo.mls.schedule.EpochSecrets;
import org.quicproquo.mls.schedule.KeySchedule;
import org.quicproquo.mls.tree.KeyPackage;

/**
 * {@code welcome.json}: find the KeyPackage's entry in the Welcome, decrypt the GroupSecrets with
 * {@code init_priv}, derive welcome_secret (no PSKs: psk_secret is zero), decrypt the GroupInfo,
 * verify its signature with {@code signer_pub}, and verify its confirmation tag with the
 * confirmation_key of the epoch derived from joiner_secret and the GroupInfo's GroupContext.
 */
final class WelcomeVectors implements VectorKind {
  @Override
  public String name() {
    return "welcome";
  }

  @Override
  public List<VectorCase> cases(JsonNode root) throws VectorFormatException {
    List<VectorCase> out = new ArrayList<>();
    int i = 0;
    for (JsonNode c : root) {
      out.add(new Case(i++, CryptoJson.number(c, "cipher_suite"), CryptoJson.hex(c, "init_priv"),
          CryptoJson.hex(c, "key_package"), CryptoJson.hex(c, "signer_pub"),
          CryptoJson.hex(c, "welcome")));
    }
    return out;
  }

  private record Case(int index, long suiteCode, byte[] initPriv, byte[] keyPackage,
      byte[] signerPub, byte[] welcome) implements VectorCase {
    @Override
    public String name() {
      return "case " + index + " cipher_suite=" + suiteCode;
    }

    @Override
    public void check() throws Exception {
      CipherSuite suite = CryptoJson.suite(suiteCode);
      KeyPackage kp = MLSMessage.fromBytes(keyPackage).as(KeyPackage.class);
      Welcome w = MLSMessage.fromBytes(welcome).as(Welcome.class);
      VectorMismatch.expectHex("welcome (re-encoded)", Hex.encode(welcome), MLSMessage.of(w).toBytes());

      GroupSecrets secrets = WelcomeProtection.openGroupSecrets(suite, w, kp.ref(suite), initPriv);
      VectorMismatch.expect("group_secrets.psks", 0, secrets.psks().size());
      KeySchedule ks = new KeySchedule(suite);
      byte[] welcomeSecret = ks.welcomeSecret(secrets.joinerSecret(), ks.zero());
      GroupInfo gi = WelcomeProtection.openGroupInfo(suite, w, welcomeSecret);
      EpochSecrets epoch = ks.fromJoinerSecret(secrets.joinerSecret(), ks.zero(), gi.groupContext());
      WelcomeProtection.verifyGroupInfo(suite, gi, signerPub, epoch.confirmationKey());
    }
  }
}

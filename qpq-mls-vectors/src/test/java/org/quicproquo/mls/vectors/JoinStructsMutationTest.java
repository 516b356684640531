package org.quicproquo.mls.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.framing.WelcomeProtection;
import org.quicproquo.mls.message.Extension;
import org.quicproquo.mls.message.ExtensionType;
import org.quicproquo.mls.message.GroupInfo;
import org.quicproquo.mls.message.GroupSecrets;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Welcome;
import org.quicproquo.mls.schedule.EpochSecrets;
import org.quicproquo.mls.schedule.KeySchedule;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.KeyPackageRef;
import org.quicproquo.mls.tree.RatchetTree;

/**
 * Hostile joining structures never crash the joiner: the {@code Welcome}, {@code KeyPackage},
 * decrypted {@code GroupSecrets} and {@code GroupInfo} of every {@code welcome.json} case, truncated
 * at every length and with random bytes changed, are decoded and then processed as far as a
 * joiner would (KeyPackage checks, Welcome decryption, GroupInfo signature and confirmation tag,
 * the {@code ratchet_tree} extension's decoding, tree hash and parent hashes). Only
 * {@link MlsException} subclasses may escape. A fixed seed keeps the run repeatable.
 */
class JoinStructsMutationTest {
  private static final int CORRUPTIONS = 100;

  /** What a joiner does with one decoded struct. */
  @FunctionalInterface
  private interface Step {
    void run(byte[] struct) throws MlsException;
  }

  private final Random random = new Random(9420_2);
  private int accepted;
  private int rejected;

  @Test
  void mutatedJoinStructsAreProcessedOrRejectedWithMlsException() throws Exception {
    JsonNode root = new ObjectMapper().readTree(VectorFiles.file("welcome.json").toFile());
    for (JsonNode c : root) {
      CipherSuite suite = CryptoJson.suite(c.get("cipher_suite").asLong());
      byte[] initPriv = Hex.decode(c.get("init_priv").asText());
      byte[] signerPub = Hex.decode(c.get("signer_pub").asText());
      KeyPackage kp = MLSMessage.fromBytes(Hex.decode(c.get("key_package").asText()))
          .as(KeyPackage.class);
      Welcome welcome = MLSMessage.fromBytes(Hex.decode(c.get("welcome").asText()))
          .as(Welcome.class);
      KeyPackageRef ref = kp.ref(suite);
      KeySchedule ks = new KeySchedule(suite);
      GroupSecrets secrets = WelcomeProtection.openGroupSecrets(suite, welcome, ref, initPriv);
      GroupInfo gi = WelcomeProtection.openGroupInfo(suite, welcome,
          ks.welcomeSecret(secrets.joinerSecret(), ks.zero()));
      EpochSecrets epoch = ks.fromJoinerSecret(secrets.joinerSecret(), ks.zero(), gi.groupContext());

      mutate(kp.toBytes(), bytes -> {
        KeyPackage m = TlsReader.decodeAll(bytes, KeyPackage::decode);
        m.ref(suite);
        m.verify(suite);
      });
      mutate(welcome.toBytes(), bytes -> {
        Welcome m = TlsReader.decodeAll(bytes, Welcome::decode);
        GroupSecrets s = WelcomeProtection.openGroupSecrets(suite, m, ref, initPriv);
        GroupInfo g = WelcomeProtection.openGroupInfo(suite, m,
            ks.welcomeSecret(s.joinerSecret(), ks.zero()));
        joinerChecks(suite, g, signerPub, ks, s.joinerSecret());
      });
      mutate(secrets.toBytes(), bytes -> {
        GroupSecrets s = TlsReader.decodeAll(bytes, GroupSecrets::decode);
        s.toBytes();
        GroupInfo g = WelcomeProtection.openGroupInfo(suite, welcome,
            ks.welcomeSecret(s.joinerSecret(), ks.zero()));
        joinerChecks(suite, g, signerPub, ks, s.joinerSecret());
      });
      mutate(gi.toBytes(), bytes -> {
        GroupInfo g = TlsReader.decodeAll(bytes, GroupInfo::decode);
        ratchetTreeChecks(suite, g);
        WelcomeProtection.verifyGroupInfo(suite, g, signerPub, epoch.confirmationKey());
      });
    }
    // Both outcomes occur: some mutations stay decodable (and are then refused later or pass),
    // structural ones are rejected.
    assertThat(rejected).isPositive();
    assertThat(accepted).isPositive();
  }

  private static void joinerChecks(CipherSuite suite, GroupInfo g, byte[] signerPub,
      KeySchedule ks, byte[] joinerSecret) throws MlsException {
    EpochSecrets e = ks.fromJoinerSecret(joinerSecret, ks.zero(), g.groupContext());
    ratchetTreeChecks(suite, g);
    WelcomeProtection.verifyGroupInfo(suite, g, signerPub, e.confirmationKey());
  }

  private static void ratchetTreeChecks(CipherSuite suite, GroupInfo g) throws MlsException {
    for (Extension ext : g.extensions()) {
      if (ext.extensionType() == ExtensionType.RATCHET_TREE) {
        RatchetTree tree = RatchetTree.decode(suite, ext.extensionData());
        tree.treeHash();
        tree.verifyParentHashes();
      }
    }
  }

  /** Runs {@code step} on truncations and random corruptions of {@code good}. */
  private void mutate(byte[] good, Step step) {
    for (int n = 0; n < good.length; n += Math.max(1, good.length / 97)) {
      outcome(step, Arrays.copyOf(good, n));
    }
    for (int k = 0; k < CORRUPTIONS; k++) {
      byte[] bad = good.clone();
      int flips = 1 + random.nextInt(3);
      for (int f = 0; f < flips; f++) {
        bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
      }
      outcome(step, bad);
    }
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    outcome(step, longer);
  }

  /** Counts the outcome; any exception that is not an MlsException fails the test. */
  private void outcome(Step step, byte[] bytes) {
    try {
      step.run(bytes);
      accepted++;
    } catch (MlsException e) {
      rejected++;
    }
  }
}

package org.quicproquo.mls.schedule;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CryptoException;
import org.quicproquo.mls.crypto.HpkeExport;
import org.quicproquo.mls.crypto.HpkeKeyPair;
import org.quicproquo.mls.message.GroupContext;

/**
 * The RFC 9420 §8 key schedule of one cipher suite:
 *
 * <pre>
 *                  init_secret_[n-1]
 *                        |
 *    commit_secret --&gt; KDF.Extract
 *                        |
 *                  ExpandWithLabel(., "joiner", GroupContext_[n], KDF.Nh)
 *                        |
 *                   joiner_secret
 *                        |
 * psk_secret (or 0) --&gt; KDF.Extract
 *                        |
 *                        +--&gt; DeriveSecret(., "welcome") = welcome_secret
 *                        |
 *                  ExpandWithLabel(., "epoch", GroupContext_[n], KDF.Nh)
 *                        |
 *                   epoch_secret
 *                        |
 *                        +--&gt; DeriveSecret(., &lt;label&gt;) = &lt;secret&gt;
 *                        |
 *                  DeriveSecret(., "init") = init_secret_[n]
 * </pre>
 *
 * plus the exporter (§8.5), the external init (§8.3), the external key pair and the Welcome key
 * and nonce (§12.4.3.1). Immutable and thread-safe.
 */
public final class KeySchedule {
  private final CipherSuite suite;

  public KeySchedule(CipherSuite suite) {
    this.suite = Objects.requireNonNull(suite, "suite");
  }

  /** KDF.Nh zero bytes: the {@code commit_secret} or {@code psk_secret} when there is none. */
  public byte[] zero() {
    return new byte[suite.hashLength()];
  }

  /** The first {@code init_secret} of a new group: KDF.Nh random bytes (§8). */
  public byte[] randomInitSecret() {
    return suite.randomBytes(suite.hashLength());
  }

  /** {@code joiner_secret} of the epoch whose GroupContext is {@code groupContext}. */
  public byte[] joinerSecret(byte[] initSecret, byte[] commitSecret, GroupContext groupContext) {
    byte[] prk = suite.extract(initSecret, commitSecret);
    return suite.expandWithLabel(prk, ScheduleLabels.JOINER, groupContext.toBytes(), suite.hashLength());
  }

  /** Members and committers: the next epoch's secrets from the previous {@code init_secret}. */
  public EpochSecrets advance(byte[] initSecret, byte[] commitSecret, byte[] pskSecret,
      GroupContext groupContext) {
    return fromJoinerSecret(joinerSecret(initSecret, commitSecret, groupContext), pskSecret, groupContext);
  }

  /** Joiners (from a Welcome's GroupSecrets) and the tail of {@link #advance}. */
  public EpochSecrets fromJoinerSecret(byte[] joinerSecret, byte[] pskSecret, GroupContext groupContext) {
    byte[] member = suite.extract(joinerSecret, pskSecret);
    byte[] welcome = suite.deriveSecret(member, ScheduleLabels.WELCOME);
    byte[] epoch = suite.expandWithLabel(member, ScheduleLabels.EPOCH, groupContext.toBytes(),
        suite.hashLength());
    java.util.Arrays.fill(member, (byte) 0);
    EpochSecrets secrets = new EpochSecrets(
        joinerSecret,
        welcome,
        suite.deriveSecret(epoch, ScheduleLabels.SENDER_DATA),
        suite.deriveSecret(epoch, ScheduleLabels.ENCRYPTION),
        suite.deriveSecret(epoch, ScheduleLabels.EXPORTER),
        suite.deriveSecret(epoch, ScheduleLabels.EXTERNAL),
        suite.deriveSecret(epoch, ScheduleLabels.CONFIRM),
        suite.deriveSecret(epoch, ScheduleLabels.MEMBERSHIP),
        suite.deriveSecret(epoch, ScheduleLabels.RESUMPTION),
        suite.deriveSecret(epoch, ScheduleLabels.AUTHENTICATION),
        suite.deriveSecret(epoch, ScheduleLabels.INIT));
    java.util.Arrays.fill(epoch, (byte) 0);
    return secrets;
  }

  /** {@code welcome_secret} from the joiner secret and PSK secret (§8). */
  public byte[] welcomeSecret(byte[] joinerSecret, byte[] pskSecret) {
    return suite.deriveSecret(suite.extract(joinerSecret, pskSecret), ScheduleLabels.WELCOME);
  }

  /** {@code welcome_key = ExpandWithLabel(welcome_secret, "key", "", AEAD.Nk)} (§12.4.3.1). */
  public byte[] welcomeKey(byte[] welcomeSecret) {
    return suite.expandWithLabel(welcomeSecret, ScheduleLabels.KEY, new byte[0], suite.aeadKeyLength());
  }

  /** {@code welcome_nonce = ExpandWithLabel(welcome_secret, "nonce", "", AEAD.Nn)} (§12.4.3.1). */
  public byte[] welcomeNonce(byte[] welcomeSecret) {
    return suite.expandWithLabel(welcomeSecret, ScheduleLabels.NONCE, new byte[0], suite.aeadNonceLength());
  }

  /**
   * MLS-Exporter (§8.5):
   * {@code ExpandWithLabel(DeriveSecret(exporter_secret, Label), "exported", Hash(Context), Length)}.
   * {@code label} is raw bytes, which the "MLS 1.0 " prefix is put before.
   */
  public byte[] export(byte[] exporterSecret, byte[] label, byte[] context, int length) {
    byte[] derived = expandWithLabel(exporterSecret, label, new byte[0], suite.hashLength());
    return suite.expandWithLabel(derived, ScheduleLabels.EXPORTED, suite.hash(context), length);
  }

  /** {@link #export(byte[], byte[], byte[], int)} with a UTF-8 label. */
  public byte[] export(byte[] exporterSecret, String label, byte[] context, int length) {
    return export(exporterSecret, label.getBytes(StandardCharsets.UTF_8), context, length);
  }

  /** The external HPKE key pair: {@code KEM.DeriveKeyPair(external_secret)} (§8.3). */
  public HpkeKeyPair externalKeyPair(byte[] externalSecret) {
    return suite.deriveHpkeKeyPair(externalSecret);
  }

  /** {@code external_pub}, as published in the GroupInfo's external_pub extension (§12.4.3.2). */
  public byte[] externalPub(byte[] externalSecret) {
    return externalKeyPair(externalSecret).publicKey();
  }

  /**
   * External joiner side of §8.3: {@code SetupBaseS(external_pub, "")} then
   * {@code init_secret = context.export("MLS 1.0 external init secret", KDF.Nh)}. The returned
   * KEM output goes into the ExternalInit proposal.
   */
  public HpkeExport externalInitSender(byte[] externalPub) throws CryptoException {
    return suite.hpkeExportSender(externalPub, new byte[0],
        ScheduleLabels.EXTERNAL_INIT_SECRET.getBytes(StandardCharsets.UTF_8), suite.hashLength());
  }

  /** Member side of §8.3: the {@code init_secret} from an ExternalInit's {@code kem_output}. */
  public byte[] externalInitReceiver(byte[] externalSecret, byte[] kemOutput) throws CryptoException {
    return suite.hpkeExportReceiver(externalKeyPair(externalSecret).privateKey(), kemOutput, new byte[0],
        ScheduleLabels.EXTERNAL_INIT_SECRET.getBytes(StandardCharsets.UTF_8), suite.hashLength());
  }

  /** ExpandWithLabel for a label given as bytes (exporter labels are arbitrary byte strings). */
  private byte[] expandWithLabel(byte[] secret, byte[] label, byte[] context, int length) {
    byte[] prefix = "MLS 1.0 ".getBytes(StandardCharsets.UTF_8);
    byte[] full = new byte[prefix.length + label.length];
    System.arraycopy(prefix, 0, full, 0, prefix.length);
    System.arraycopy(label, 0, full, prefix.length, label.length);
    byte[] info = new TlsWriter().u16(length).opaque(full).opaque(context).toByteArray();
    return suite.expand(secret, info, length);
  }
}

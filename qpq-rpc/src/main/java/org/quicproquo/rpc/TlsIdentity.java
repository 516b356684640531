package org.quicproquo.rpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A server's TLS certificate and private key. {@link #generate} makes a self-signed ECDSA P-256
 * certificate; clients pin its {@link #fingerprint()}. The server decides where to keep it,
 * using {@link #save}/{@link #load} (PEM: an X.509 {@code CERTIFICATE} and a PKCS#8
 * {@code PRIVATE KEY}).
 *
 * <p>{@link #toString()} never prints the key.
 *
 * @param certificate the leaf certificate
 * @param privateKey the private key matching the certificate's public key
 */
public record TlsIdentity(X509Certificate certificate, PrivateKey privateKey) {
  /** Validity of generated certificates; pinning ignores it, but TLS stacks print it. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);

  /** Checks that the key belongs to the certificate. */
  public TlsIdentity {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    if (!keyMatches(certificate, privateKey)) {
      throw invalid("private key does not match the certificate", null);
    }
  }

  /**
   * Generates a self-signed ECDSA P-256 certificate.
   *
   * @param commonName the subject CN, for example the server's domain
   * @param random the source of the key and serial number
   * @param clock gives the start of the validity period
   */
  public static TlsIdentity generate(String commonName, SecureRandom random, Clock clock) {
    try {
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
      kpg.initialize(new ECGenParameterSpec("secp256r1"), random);
      KeyPair kp = kpg.generateKeyPair();
      X500Name name = new X500Name("CN=" + escapeRdn(commonName));
      Instant now = clock.instant();
      // Back-dated by a day so a client with a slightly wrong clock does not see "not yet valid".
      Date notBefore = Date.from(now.minus(Duration.ofDays(1)));
      Date notAfter = Date.from(now.plus(DEFAULT_VALIDITY));
      BigInteger serial = new BigInteger(127, random).add(BigInteger.ONE);
      X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, serial, notBefore,
          notAfter, name, kp.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").setSecureRandom(random)
              .build(kp.getPrivate()));
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
      return new TlsIdentity(cert, kp.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw invalid("cannot generate a certificate", e);
    }
  }

  /** The SHA-256 fingerprint clients pin. */
  public CertificateFingerprint fingerprint() {
    return CertificateFingerprint.of(certificate);
  }

  /** The certificate as PEM text. */
  public String certificatePem() {
    try {
      return pem("CERTIFICATE", certificate.getEncoded());
    } catch (GeneralSecurityException e) {
      throw invalid("cannot encode certificate", e);
    }
  }

  /** The private key as PKCS#8 PEM text. Secret: never log it. */
  public String privateKeyPem() {
    return pem("PRIVATE KEY", privateKey.getEncoded());
  }

  /**
   * Reads an identity from PEM text.
   *
   * @throws RpcException ({@link RpcErrors#INVALID_IDENTITY}) if either text is not valid PEM of
   *     the expected kind, or the key does not match the certificate
   */
  public static TlsIdentity fromPem(String certificatePem, String privateKeyPem) {
    try {
      byte[] certDer = readPem(certificatePem, "CERTIFICATE");
      X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(certDer));
      byte[] keyDer = readPem(privateKeyPem, "PRIVATE KEY");
      PrivateKey key = new JcaPEMKeyConverter().getPrivateKey(PrivateKeyInfo.getInstance(keyDer));
      return new TlsIdentity(cert, key);
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      throw invalid("cannot read identity: " + e.getMessage(), e);
    }
  }

  /**
   * Writes the certificate and the key to two files, replacing them atomically. The key file is
   * created readable by its owner only where the file system supports POSIX permissions.
   */
  public void save(Path certificateFile, Path privateKeyFile) throws IOException {
    writeAtomically(certificateFile, certificatePem(), false);
    writeAtomically(privateKeyFile, privateKeyPem(), true);
  }

  /** Reads an identity saved by {@link #save}. */
  public static TlsIdentity load(Path certificateFile, Path privateKeyFile) throws IOException {
    return fromPem(Files.readString(certificateFile, StandardCharsets.US_ASCII),
        Files.readString(privateKeyFile, StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return "TlsIdentity[" + certificate.getSubjectX500Principal() + ", " + fingerprint() + "]";
  }

  private static void writeAtomically(Path file, String text, boolean secret) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".tls", ".tmp");
    try {
      if (secret && Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      }
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String pem(String type, byte[] der) {
    StringWriter sw = new StringWriter();
    try (PemWriter w = new PemWriter(sw)) {
      w.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new IllegalStateException("StringWriter failed", e);
    }
    return sw.toString();
  }

  private static byte[] readPem(String text, String type) throws IOException {
    try (PemReader r = new PemReader(new StringReader(Objects.requireNonNull(text, type)))) {
      PemObject o = r.readPemObject();
      if (o == null || !o.getType().equals(type)) {
        throw new IllegalArgumentException("expected a PEM " + type);
      }
      return o.getContent();
    }
  }

  private static boolean keyMatches(X509Certificate cert, PrivateKey key) {
    String alg = switch (key.getAlgorithm()) {
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      case "RSA" -> "SHA256withRSA";
      default -> null;
    };
    if (alg == null) {
      return false;
    }
    try {
      byte[] probe = "qpq tls identity key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(cert.getPublicKey());
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String escapeRdn(String value) {
    Objects.requireNonNull(value, "commonName");
    if (value.isEmpty() || value.length() > 64) {
      throw new IllegalArgumentException("commonName must have 1 to 64 characters");
    }
    return value.replaceAll("([,+\"\\\\<>;=#])", "\\\\$1");
  }

  private static RpcException invalid(String detail, Throwable cause) {
    return new RpcException(ExceptionType.FAILED, RpcErrors.INVALID_IDENTITY, detail, cause);
  }
}

package org.quicproquo.mls.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.SignatureKeyPair;

class KeyPackageAndCredentialTest {
  private final CipherSuite suite = TestMembers.suite(5);

  @Test
  void keyPackageSignsVerifiesAndHasAStableRef() throws Exception {
    TestMembers.Member m = TestMembers.member(suite, "kp");
    KeyPackage kp = new KeyPackage(KeyPackage.MLS10, suite.id(),
        suite.generateHpkeKeyPair().publicKey(), m.leaf(), List.of(), new byte[0])
        .sign(suite, m.sig().privateKey());
    kp.verify(suite);
    KeyPackage back = TlsReader.decodeAll(kp.toBytes(), KeyPackage::decode);
    assertThat(back).isEqualTo(kp);
    assertThat(back.ref(suite)).isEqualTo(kp.ref(suite));
    assertThat(kp.ref(suite).value()).hasSize(suite.hashLength());

    KeyPackage sameInitKey = new KeyPackage(KeyPackage.MLS10, suite.id(),
        m.leaf().encryptionKey(), m.leaf(), List.of(), new byte[0])
        .sign(suite, m.sig().privateKey());
    assertThatThrownBy(() -> sameInitKey.verify(suite)).hasMessageContaining("init_key");
    KeyPackage forged = new KeyPackage(KeyPackage.MLS10, suite.id(), kp.initKey(), m.leaf(),
        List.of(), new byte[64]);
    assertThatThrownBy(() -> forged.verify(suite)).isInstanceOf(InvalidTreeException.class)
        .hasMessageContaining("key package signature");
  }

  @Test
  void x509ChainMustBeSignedAndBoundToTheSignatureKey() throws Exception {
    SignatureKeyPair ca = suite.generateSignatureKeyPair();
    SignatureKeyPair leaf = suite.generateSignatureKeyPair();
    byte[] caCert = cert("CN=ca", "CN=ca", ca.publicKey(), ca.privateKey());
    byte[] leafCert = cert("CN=ca", "CN=member", leaf.publicKey(), ca.privateKey());
    Credential.X509 good = new Credential.X509(List.of(leafCert, caCert));
    good.verifyChain(leaf.publicKey());
    assertThatThrownBy(() -> good.verifyChain(ca.publicKey()))
        .isInstanceOf(InvalidTreeException.class).hasMessageContaining("signature_key");
    byte[] selfSignedLeaf = cert("CN=ca", "CN=member", leaf.publicKey(), leaf.privateKey());
    assertThatThrownBy(() -> new Credential.X509(List.of(selfSignedLeaf, caCert))
        .verifyChain(leaf.publicKey())).hasMessageContaining("not signed");
    assertThatThrownBy(() -> new Credential.X509(List.of(new byte[] {0x30, 0}))
        .verifyChain(leaf.publicKey())).hasMessageContaining("malformed");
  }

  /** A minimal Ed25519 X.509 v3 certificate, built with Bouncy Castle's ASN.1 classes. */
  private static byte[] cert(String issuer, String subject, byte[] publicKey, byte[] signingKey)
      throws Exception {
    AlgorithmIdentifier ed25519 = new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.3.101.112"));
    V3TBSCertificateGenerator g = new V3TBSCertificateGenerator();
    g.setSerialNumber(new ASN1Integer(BigInteger.ONE));
    g.setSignature(ed25519);
    g.setIssuer(new X500Name(issuer));
    g.setSubject(new X500Name(subject));
    g.setStartDate(new Time(new java.util.Date(0)));
    g.setEndDate(new Time(new java.util.Date(4_000_000_000_000L)));
    g.setSubjectPublicKeyInfo(new SubjectPublicKeyInfo(ed25519, publicKey));
    TBSCertificate tbs = g.generateTBSCertificate();
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, new Ed25519PrivateKeyParameters(signingKey, 0));
    byte[] der = tbs.getEncoded("DER");
    signer.update(der, 0, der.length);
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(tbs);
    v.add(ed25519);
    v.add(new DERBitString(signer.generateSignature()));
    return new DERSequence(v).getEncoded("DER");
  }
}

package org.quicproquo.mls.tree;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §5.3:
 *
 * <pre>
 * struct {
 *     opaque cert_data&lt;V&gt;;
 * } Certificate;
 *
 * struct {
 *     CredentialType credential_type;
 *     select (Credential.credential_type) {
 *         case basic:
 *             opaque identity&lt;V&gt;;
 *
 *         case x509:
 *             Certificate certificates&lt;V&gt;;
 *     };
 * } Credential;
 * </pre>
 *
 * Credential types other than basic and x509 have no body syntax in RFC 9420; like other
 * implementations (mls-rs) this library carries their body as one {@code opaque data<V>} so they
 * round-trip, and leaves their validation to the application.
 */
public sealed interface Credential extends TlsEncodable {
  /** The {@link CredentialType} code. */
  int credentialType();

  /** {@code basic}: an application-defined identity, authenticated by the application. */
  record Basic(byte[] identity) implements Credential {
    public Basic {
      identity = identity.clone();
    }

    @Override
    public byte[] identity() {
      return identity.clone();
    }

    @Override
    public int credentialType() {
      return CredentialType.BASIC;
    }

    @Override
    public void encode(TlsWriter w) {
      w.u16(CredentialType.BASIC).opaque(identity);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Basic b && Arrays.equals(identity, b.identity);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(identity);
    }
  }

  /** {@code x509}: DER certificates, the end-entity certificate first (§5.3.1). */
  record X509(List<byte[]> certificates) implements Credential {
    public X509 {
      List<byte[]> copy = new ArrayList<>(certificates.size());
      for (byte[] c : certificates) {
        copy.add(c.clone());
      }
      certificates = List.copyOf(copy);
    }

    @Override
    public List<byte[]> certificates() {
      return certificates.stream().map(byte[]::clone).toList();
    }

    @Override
    public int credentialType() {
      return CredentialType.X509;
    }

    @Override
    public void encode(TlsWriter w) {
      w.u16(CredentialType.X509).vector(certificates, TlsWriter::opaque);
    }

    /**
     * Parses the chain and checks what RFC 9420 §5.3.1 asks of the credential itself: every entry is
     * a DER X.509 certificate, each one is signed by the next, and the end-entity certificate's
     * public key is {@code signatureKey} (raw encoding as in {@code SignaturePublicKey}). Trust in
     * the last certificate is the application's decision.
     *
     * @throws InvalidTreeException naming what is wrong
     */
    public void verifyChain(byte[] signatureKey) throws InvalidTreeException {
      if (certificates.isEmpty()) {
        throw new InvalidTreeException("x509 credential with an empty certificate chain");
      }
      List<X509Certificate> chain = new ArrayList<>();
      try {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        for (byte[] der : certificates) {
          chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
        }
      } catch (CertificateException | ClassCastException e) {
        throw new InvalidTreeException("x509 credential holds a malformed certificate", e);
      }
      byte[] leafKey;
      try {
        leafKey = SubjectPublicKeyInfo.getInstance(chain.get(0).getPublicKey().getEncoded())
            .getPublicKeyData().getBytes();
      } catch (RuntimeException e) {
        throw new InvalidTreeException("x509 end-entity certificate has an unreadable key", e);
      }
      if (!Arrays.equals(leafKey, signatureKey)) {
        throw new InvalidTreeException(
            "x509 end-entity certificate key differs from the leaf's signature_key");
      }
      for (int i = 0; i + 1 < chain.size(); i++) {
        try {
          chain.get(i).verify(chain.get(i + 1).getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
          throw new InvalidTreeException("x509 certificate " + i + " is not signed by certificate "
              + (i + 1), e);
        }
      }
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof X509 x) || x.certificates.size() != certificates.size()) {
        return false;
      }
      for (int i = 0; i < certificates.size(); i++) {
        if (!Arrays.equals(certificates.get(i), x.certificates.get(i))) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      int h = 1;
      for (byte[] c : certificates) {
        h = 31 * h + Arrays.hashCode(c);
      }
      return h;
    }
  }

  /** Any other credential type, body kept opaque (see the type's javadoc). */
  record Other(int credentialType, byte[] data) implements Credential {
    public Other {
      if (credentialType == CredentialType.BASIC || credentialType == CredentialType.X509
          || credentialType <= 0 || credentialType > 0xffff) {
        throw new IllegalArgumentException("not an opaque credential type: " + credentialType);
      }
      data = data.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    @Override
    public void encode(TlsWriter w) {
      w.u16(credentialType).opaque(data);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Other x && x.credentialType == credentialType
          && Arrays.equals(data, x.data);
    }

    @Override
    public int hashCode() {
      return credentialType * 31 + Arrays.hashCode(data);
    }
  }

  /** A basic credential for {@code identity}. */
  static Credential basic(byte[] identity) {
    return new Basic(identity);
  }

  /** Reads a Credential; rejects the reserved type 0. */
  static Credential decode(TlsReader r) throws DecodeException {
    int type = r.u16();
    return switch (type) {
      case 0 -> throw new DecodeException("reserved credential type 0");
      case CredentialType.BASIC -> new Basic(r.opaque());
      case CredentialType.X509 -> {
        List<byte[]> certs = r.vector(TlsReader::opaque);
        yield new X509(certs);
      }
      default -> new Other(type, r.opaque());
    };
  }
}

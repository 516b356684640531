package org.quicproquo.mls.tree;

import java.util.List;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §7.2:
 *
 * <pre>
 * struct {
 *     ProtocolVersion versions&lt;V&gt;;
 *     CipherSuite cipher_suites&lt;V&gt;;
 *     ExtensionType extensions&lt;V&gt;;
 *     ProposalType proposals&lt;V&gt;;
 *     CredentialType credentials&lt;V&gt;;
 * } Capabilities;
 * </pre>
 *
 * All entries are {@code uint16} codes, kept as integers so unknown codes (GREASE, §13.5) survive.
 */
public record Capabilities(
    List<Integer> versions,
    List<Integer> cipherSuites,
    List<Integer> extensions,
    List<Integer> proposals,
    List<Integer> credentials) implements TlsEncodable {

  public Capabilities {
    versions = checked(versions);
    cipherSuites = checked(cipherSuites);
    extensions = checked(extensions);
    proposals = checked(proposals);
    credentials = checked(credentials);
  }

  private static List<Integer> checked(List<Integer> codes) {
    for (int c : codes) {
      if (c < 0 || c > 0xffff) {
        throw new IllegalArgumentException("uint16 code out of range: " + c);
      }
    }
    return List.copyOf(codes);
  }

  @Override
  public void encode(TlsWriter w) {
    for (List<Integer> l : List.of(versions, cipherSuites, extensions, proposals, credentials)) {
      w.vector(l, TlsWriter::u16);
    }
  }

  /** Reads a Capabilities struct; each code must be a uint16. */
  public static Capabilities decode(TlsReader r) throws DecodeException {
    return new Capabilities(r.vector(TlsReader::u16), r.vector(TlsReader::u16),
        r.vector(TlsReader::u16), r.vector(TlsReader::u16), r.vector(TlsReader::u16));
  }

  /** True if ProtocolVersion {@code v} is listed. */
  public boolean supportsVersion(int v) {
    return versions.contains(v);
  }

  /** True if cipher suite code {@code suite} is listed. */
  public boolean supportsCipherSuite(int suite) {
    return cipherSuites.contains(suite);
  }

  /** Default extension types (§7.2) count as supported without being listed. */
  public boolean supportsExtension(int type) {
    return org.quicproquo.mls.message.ExtensionType.isDefault(type) || extensions.contains(type);
  }

  /** Default proposal types 1-7 (§7.2, §17.4) count as supported without being listed. */
  public boolean supportsProposal(int type) {
    return (type >= 1 && type <= 7) || proposals.contains(type);
  }

  /** True if credential type {@code type} is listed (there are no default credential types). */
  public boolean supportsCredential(int type) {
    return credentials.contains(type);
  }
}

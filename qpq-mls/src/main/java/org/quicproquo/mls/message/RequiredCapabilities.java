package org.quicproquo.mls.message;

import java.util.List;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §11.1, payload of the {@code required_capabilities} GroupContext extension:
 *
 * <pre>
 * struct {
 *     ExtensionType extension_types&lt;V&gt;;
 *     ProposalType proposal_types&lt;V&gt;;
 *     CredentialType credential_types&lt;V&gt;;
 * } RequiredCapabilities;
 * </pre>
 *
 * Codes are kept as uint16 values: a group may require types this library does not know.
 */
public record RequiredCapabilities(List<Integer> extensionTypes, List<Integer> proposalTypes,
    List<Integer> credentialTypes) implements TlsEncodable {
  public RequiredCapabilities {
    extensionTypes = List.copyOf(extensionTypes);
    proposalTypes = List.copyOf(proposalTypes);
    credentialTypes = List.copyOf(credentialTypes);
    for (List<Integer> l : List.of(extensionTypes, proposalTypes, credentialTypes)) {
      for (int v : l) {
        if (v < 0 || v > 0xffff) {
          throw new IllegalArgumentException("uint16 out of range: " + v);
        }
      }
    }
  }

  @Override
  public void encode(TlsWriter w) {
    w.vector(extensionTypes, TlsWriter::u16).vector(proposalTypes, TlsWriter::u16)
        .vector(credentialTypes, TlsWriter::u16);
  }

  /**
   * Reads one {@code RequiredCapabilities} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  public static RequiredCapabilities decode(TlsReader r) throws DecodeException {
    return new RequiredCapabilities(r.vector(TlsReader::u16), r.vector(TlsReader::u16),
        r.vector(TlsReader::u16));
  }

  /** Parses the data of a {@code required_capabilities} extension (all of it). */
  public static RequiredCapabilities fromExtension(Extension e) throws DecodeException {
    ExternalPub.requireType(e, ExtensionType.REQUIRED_CAPABILITIES);
    return TlsReader.decodeAll(e.extensionData(), RequiredCapabilities::decode);
  }

  /** This payload wrapped as a {@code required_capabilities} extension. */
  public Extension toExtension() {
    return new Extension(ExtensionType.REQUIRED_CAPABILITIES, toBytes());
  }
}

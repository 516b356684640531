package org.quicproquo.mls.tree;

import java.util.List;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §11.1, the data of the {@code required_capabilities} group context extension:
 *
 * <pre>
 * struct {
 *     ExtensionType extension_types&lt;V&gt;;
 *     ProposalType proposal_types&lt;V&gt;;
 *     CredentialType credential_types&lt;V&gt;;
 * } RequiredCapabilities;
 * </pre>
 */
public record RequiredCapabilities(
    List<Integer> extensionTypes, List<Integer> proposalTypes, List<Integer> credentialTypes)
    implements TlsEncodable {

  /** No requirements (the extension is absent). */
  public static final RequiredCapabilities NONE =
      new RequiredCapabilities(List.of(), List.of(), List.of());

  public RequiredCapabilities {
    extensionTypes = List.copyOf(extensionTypes);
    proposalTypes = List.copyOf(proposalTypes);
    credentialTypes = List.copyOf(credentialTypes);
  }

  @Override
  public void encode(TlsWriter w) {
    w.vector(extensionTypes, TlsWriter::u16).vector(proposalTypes, TlsWriter::u16)
        .vector(credentialTypes, TlsWriter::u16);
  }

  /** Reads the extension data. */
  public static RequiredCapabilities decode(TlsReader r) throws DecodeException {
    return new RequiredCapabilities(r.vector(TlsReader::u16), r.vector(TlsReader::u16),
        r.vector(TlsReader::u16));
  }

  /** True if {@code caps} lists everything required here. */
  public boolean isSatisfiedBy(Capabilities caps) {
    return extensionTypes.stream().allMatch(caps::supportsExtension)
        && proposalTypes.stream().allMatch(caps::supportsProposal)
        && credentialTypes.stream().allMatch(caps::supportsCredential);
  }
}

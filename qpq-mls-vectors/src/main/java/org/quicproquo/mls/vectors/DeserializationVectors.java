package org.quicproquo.mls.vectors;

import static org.quicproquo.mls.vectors.CryptoJson.hex;
import static org.quicproquo.mls.vectors.CryptoJson.number;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * {@code deserialization}: the variable-length integer headers of RFC 9420 §2.1.2 (test-vectors.md,
 * "Deserialization"). Each header must decode to its length and the length must encode back to it.
 */
public final class DeserializationVectors implements VectorKind {
  @Override
  public String name() {
    return "deserialization";
  }

  @Override
  public List<VectorCase> cases(JsonNode root) throws VectorFormatException {
    List<VectorCase> out = new ArrayList<>();
    for (JsonNode n : root) {
      out.add(new Case(hex(n, "vlbytes_header"), number(n, "length")));
    }
    return out;
  }

  /** {@code vlbytes_header} is the varint encoding of {@code length}. */
  record Case(byte[] vlbytesHeader, long length) implements VectorCase {
    @Override
    public String name() {
      return "length=" + length;
    }

    @Override
    public void check() throws Exception {
      long decoded = TlsReader.decodeAll(vlbytesHeader, TlsReader::varint);
      VectorMismatch.expect("decoded length", length, decoded);
      VectorMismatch.expectHex("vlbytes_header", Hex.encode(vlbytesHeader),
          new TlsWriter().varint(length).toByteArray());
    }
  }
}

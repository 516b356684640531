package org.quicproquo.mls.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;
import org.quicproquo.mls.crypto.CryptoException;

/** Field access for the crypto and key-schedule vector kinds: a missing or mistyped field is a format error. */
final class CryptoJson {
  private CryptoJson() {}

  static JsonNode field(JsonNode node, String name) throws VectorFormatException {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw new VectorFormatException("missing field " + name);
    }
    return v;
  }

  static byte[] hex(JsonNode node, String name) throws VectorFormatException {
    JsonNode v = field(node, name);
    if (!v.isTextual()) {
      throw new VectorFormatException("field " + name + " is not a hex string");
    }
    try {
      return Hex.decode(v.asText());
    } catch (IllegalArgumentException e) {
      throw new VectorFormatException("field " + name + " is not valid hex", e);
    }
  }

  static String text(JsonNode node, String name) throws VectorFormatException {
    JsonNode v = field(node, name);
    if (!v.isTextual()) {
      throw new VectorFormatException("field " + name + " is not a string");
    }
    return v.asText();
  }

  static long number(JsonNode node, String name) throws VectorFormatException {
    JsonNode v = field(node, name);
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new VectorFormatException("field " + name + " is not an integer");
    }
    return v.asLong();
  }

  static JsonNode array(JsonNode node, String name) throws VectorFormatException {
    JsonNode v = field(node, name);
    if (!v.isArray()) {
      throw new VectorFormatException("field " + name + " is not an array");
    }
    return v;
  }

  /**
   * The suite named by a case's {@code cipher_suite}. A fixed-seed random keeps runs repeatable;
   * the vectors only check deterministic outputs and round trips.
   */
  static CipherSuite suite(long code) throws CryptoException {
    SecureRandom random;
    try {
      random = SecureRandom.getInstance("SHA1PRNG");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    random.setSeed(code);
    return CipherSuites.of(CipherSuiteId.fromCode((int) code), random);
  }
}

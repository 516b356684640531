package org.quicproquo.core.message;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 in both directions: malformed bytes and unpaired surrogates are errors, never replaced. */
final class Utf8 {
  private Utf8() {
  }

  /** UTF-8 length of {@code s}; throws IllegalArgumentException if it cannot be encoded or holds NUL. */
  static int checkedLength(String s, String field) {
    if (s == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(field + " must not contain NUL");
    }
    try {
      return StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(s)).remaining();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(field + " is not valid Unicode (unpaired surrogate)");
    }
  }

  /** Decodes strictly; throws AppMessageException on malformed UTF-8. */
  static String decode(ByteBuffer bytes, String field) throws AppMessageException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes).toString();
    } catch (CharacterCodingException e) {
      throw new AppMessageException(field + " is not valid UTF-8");
    }
  }
}

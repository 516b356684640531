package org.quicproquo.capnpc;

import java.nio.charset.StandardCharsets;

/** Naming and literal helpers shared by the emitters; pure functions. */
final class JavaNames {
  private JavaNames() {
  }

  /** {@code fooBar} to {@code FooBar}. */
  static String capitalize(String name) {
    return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  /** {@code getPointerField} to {@code GET_POINTER_FIELD}. */
  static String upperSnake(String name) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(name.charAt(i - 1))) {
        out.append('_');
      }
      out.append(Character.toUpperCase(c));
    }
    return out.toString();
  }

  /** {@code my-file_name.capnp} to {@code MyFileName}. */
  static String outerClassFor(String filename) {
    String base = filename.substring(filename.lastIndexOf('/') + 1);
    if (base.endsWith(".capnp")) {
      base = base.substring(0, base.length() - ".capnp".length());
    }
    StringBuilder out = new StringBuilder();
    boolean upper = true;
    for (char c : base.toCharArray()) {
      if (Character.isLetterOrDigit(c)) {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      } else {
        upper = true;
      }
    }
    if (out.length() == 0 || !Character.isJavaIdentifierStart(out.charAt(0))) {
      out.insert(0, 'C');
    }
    return out.toString();
  }

  /** A Java string literal whose chars are the given bytes (ISO-8859-1), octal-escaped. */
  static String rawBytesLiteral(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    out.append('"');
    int lineStart = 0;
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c == '"' || c == '\\') {
        out.append('\\').append((char) c);
      } else if (c >= 0x20 && c < 0x7f) {
        out.append((char) c);
      } else {
        out.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7)))
            .append((char) ('0' + (c & 7)));
      }
      if (out.length() - lineStart > 96) {
        out.append("\"\n          + \"");
        lineStart = out.length();
      }
    }
    out.append('"');
    return out.toString();
  }

  /** A Java string literal for UTF-8 text; non-ASCII characters become unicode escapes. */
  static String textLiteral(byte[] utf8) {
    String text = new String(utf8, StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\%03o", (int) c));
          } else if (c >= 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /**
   * Escapes schema doc text for a javadoc comment: HTML specials, comment terminators, tags, and
   * backslashes (javac reads unicode escapes even inside comments).
   */
  static String javadocText(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '@' -> out.append("&#64;");
        case '\\' -> out.append("&#92;");
        case '/' -> out.append(i > 0 && text.charAt(i - 1) == '*' ? "&#47;" : "/");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  static String longLiteral(long v) {
    return "0x" + Long.toHexString(v) + "L";
  }

  static String intLiteral(int v) {
    return v >= 0 && v < 10 ? Integer.toString(v) : "0x" + Integer.toHexString(v);
  }
}

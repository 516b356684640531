package org.quicproquo.capnpc;

/** Accumulates Java source with two-space indentation and '\n' line ends (byte-stable output). */
final class SourceWriter {
  private final StringBuilder out = new StringBuilder();
  private int indent;

  SourceWriter line(String text) {
    if (!text.isEmpty()) {
      out.append("  ".repeat(indent)).append(text);
    }
    out.append('\n');
    return this;
  }

  SourceWriter open(String text) {
    line(text + " {");
    indent++;
    return this;
  }

  SourceWriter close() {
    indent--;
    return line("}");
  }

  SourceWriter blank() {
    out.append('\n');
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }
}

package org.quicproquo.cli;

/**
 * One line typed into {@code qpq chat}: either a command ({@code /name argument}) or text to send.
 * A line starting with {@code //} is text that starts with one {@code /}.
 *
 * @param command  the command name without the slash, lower case; null for text
 * @param argument the rest of the line, stripped (empty if none); for text, the text as typed
 */
record ChatInput(String command, String argument) {

  /** Parses a line; returns null for a blank line (nothing to do). */
  static ChatInput parse(String line) {
    if (line == null || line.isBlank()) {
      return null;
    }
    if (line.startsWith("//")) {
      return new ChatInput(null, line.substring(1));
    }
    String s = line.strip();
    if (!s.startsWith("/")) {
      return new ChatInput(null, line);
    }
    int space = indexOfWhitespace(s);
    String name = space < 0 ? s.substring(1) : s.substring(1, space);
    String arg = space < 0 ? "" : s.substring(space).strip();
    return new ChatInput(name.toLowerCase(java.util.Locale.ROOT), arg);
  }

  /** Whether this is text to send rather than a command. */
  boolean isText() {
    return command == null;
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}

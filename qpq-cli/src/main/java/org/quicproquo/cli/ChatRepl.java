package org.quicproquo.cli;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * The read loop of {@code qpq chat}: reads lines with JLine and hands them to a
 * {@link ChatSession} until {@code /quit} or end of input (Ctrl-D). Ctrl-C clears the line being
 * typed. Lines written while the user types (incoming messages) go through
 * {@link LineReader#printAbove}, which redraws the prompt and the partial line below them.
 */
final class ChatRepl {
  private final LineReader reader;
  private final ChatSession session;

  ChatRepl(LineReader reader, ChatSession session) {
    this.reader = reader;
    this.session = session;
    // Typing a character tells the current conversation "typing..." (rate-limited by the session).
    org.jline.reader.Widget insert = reader.getWidgets().get(LineReader.SELF_INSERT);
    if (insert != null) {
      reader.getWidgets().put(LineReader.SELF_INSERT, () -> {
        if (!reader.getBuffer().toString().startsWith("/")) {
          session.typing();
        }
        return insert.apply();
      });
    }
  }

  /**
   * A line reader for chat text. Typed lines are messages, not shell input: no history expansion
   * ({@code !}), no quote or escape handling (an apostrophe must not ask for a continuation
   * line), and the history stays in memory (no plaintext written to disk).
   */
  static LineReader reader(Terminal terminal) {
    DefaultParser parser = new DefaultParser();
    parser.setQuoteChars(new char[0]);
    parser.setEscapeChars(new char[0]);
    parser.setEofOnUnclosedQuote(false);
    parser.setEofOnEscapedNewLine(false);
    return LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("qpq")
        .parser(parser)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .option(LineReader.Option.INSERT_TAB, true)
        .variable(LineReader.HISTORY_SIZE, 500)
        .build();
  }

  /** Reads and runs lines until the user quits. */
  void run() {
    while (true) {
      String line;
      try {
        line = reader.readLine(session.prompt());
      } catch (UserInterruptException e) {
        continue;
      } catch (EndOfFileException e) {
        // Ctrl-D leaves the cursor after the prompt; end the line before the shell's prompt.
        reader.getTerminal().writer().println();
        reader.getTerminal().flush();
        return;
      }
      if (!session.execute(line)) {
        return;
      }
    }
  }
}

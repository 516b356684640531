package org.quicproquo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.messenger.Messenger;
import org.quicproquo.client.messenger.MessengerConfig;
import org.quicproquo.client.messenger.MessengerException;
import org.quicproquo.client.messenger.PassphraseNeededException;
import org.quicproquo.core.identity.InvalidIdentityException;
import org.quicproquo.core.identity.UserName;
import org.quicproquo.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qpq chat}: the interactive messenger. Wires a JLine terminal, a {@link Messenger} on the
 * state directory and a {@link ChatSession}, then runs the {@link ChatRepl} until {@code /quit} or
 * Ctrl-D, and closes the messenger. Without a terminal on stdin (a pipe) it reads lines plainly.
 */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = "Interactive end-to-end encrypted chat: DMs and groups (type /help inside).")
final class ChatCommand implements Callable<Integer> {
  /** Longest passphrase file read (a passphrase, not a document). */
  private static final int MAX_PASSPHRASE_BYTES = 4096;
  /** The name of the key file in a state directory (the SDK keeps its constant private). */

  @Spec CommandSpec spec;

  @Option(names = "--server", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:7443",
      description = "Server address (default: ${DEFAULT-VALUE}; port 7443 if omitted).")
  String server;

  @Option(names = "--user", paramLabel = "NAME", required = true,
      description = "Your user name on the server.")
  String user;

  @Option(names = "--state", paramLabel = "DIR",
      description = "State directory: keys, pinned server certificate, history"
          + " (default: ~/.qpq/users/NAME).")
  Path state;

  @Option(names = "--passphrase-file", paramLabel = "FILE",
      description = "File whose first line is the passphrase that locks the keys (default: keys"
          + " not locked; asked for on the terminal if they are).")
  Path passphraseFile;

  @Option(names = "--link",
      description = "Add this new state directory to your existing account --user as another"
          + " device: asks for the code that /device link shows on one of its devices.")
  boolean link;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    // Library logging would write over the line being typed; the messenger reports what matters
    // through its listener. Must be set before the first logger exists.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    }
    HostPort address;
    try {
      address = HostPort.parse(server, ServerConfig.DEFAULT_PORT);
    } catch (IllegalArgumentException e) {
      err.println("error: Invalid --server: " + e.getMessage() + ".");
      return 2;
    }
    String name;
    try {
      // Canonical form (lower case) first: it names the default directory and must equal the
      // name stored with the account. The rules also keep it a plain directory name.
      name = UserName.parse(user).value();
    } catch (InvalidIdentityException e) {
      err.println("error: \"" + ChatFormat.clean(user) + "\" is not a valid user name: "
          + e.getMessage() + ".");
      return 2;
    }
    Path dir = state != null ? state
        : Path.of(System.getProperty("user.home"), ".qpq", "users", name);
    char[] passphrase;
    try {
      passphrase = passphraseFile == null ? new char[0] : readPassphrase(passphraseFile);
    } catch (IOException e) {
      err.println("error: Cannot read the passphrase file " + passphraseFile + ": "
          + e.getMessage() + ".");
      return 2;
    }
    try (Terminal terminal = TerminalBuilder.builder().name("qpq").system(true).dumb(true)
        .build()) {
      LineReader reader = ChatRepl.reader(terminal);
      ChatSession session = new ChatSession(name, address, dir,
          new ChatFormat(ZoneId.systemDefault()), reader::printAbove);
      Messenger messenger;
      try {
        messenger = open(address, dir, passphrase, session);
      } catch (PassphraseNeededException e) {
        if (!interactive(terminal)) {
          err.println("error: " + ChatFormat.clean(e.getMessage()));
          return 1;
        }
        char[] typed = askPassphrase(terminal, dir);
        if (typed == null) {
          return 1;
        }
        try {
          messenger = open(address, dir, typed, session);
        } catch (MessengerException again) {
          err.println("error: " + ChatFormat.clean(again.getMessage()));
          return 1;
        } finally {
          Arrays.fill(typed, '\0');
        }
      } catch (MessengerException e) {
        err.println("error: " + ChatFormat.clean(e.getMessage()));
        return 1;
      } finally {
        Arrays.fill(passphrase, '\0');
      }
      try (Messenger opened = messenger) {
        if (!session.start(messenger)) {
          return 1;
        }
        if (link && !messenger.isRegistered()) {
          String code;
          try {
            code = reader.readLine("Link code from your other device (/device link): ");
          } catch (UserInterruptException | EndOfFileException e) {
            return 1;
          }
          if (!session.execute("/link " + code.strip())) {
            return 1;
          }
        }
        new ChatRepl(reader, session).run();
      }
      return 0;
    } catch (IOException e) {
      err.println("error: Cannot open the terminal: " + e.getMessage() + ".");
      return 1;
    }
  }

  private static Messenger open(HostPort address, Path dir, char[] passphrase,
      ChatSession session) {
    return Messenger.open(MessengerConfig.of(address, dir).withPassphrase(passphrase), session);
  }

  private static boolean interactive(Terminal terminal) {
    return !Terminal.TYPE_DUMB.equals(terminal.getType())
        && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
  }

  /**
   * Asks for the passphrase without echo, on a reader of its own that keeps no history.
   * Returns null if the user gave up (Ctrl-C, Ctrl-D).
   */
  private static char[] askPassphrase(Terminal terminal, Path dir) {
    LineReader secret = LineReaderBuilder.builder().terminal(terminal)
        .variable(LineReader.DISABLE_HISTORY, true).build();
    try {
      return secret.readLine("Passphrase for the keys in " + dir + ": ", LineReaderImpl.NULL_MASK)
          .toCharArray();
    } catch (UserInterruptException | EndOfFileException e) {
      return null;
    }
  }

  /** The file's first line, decoded as UTF-8 into a char array (no String copy to linger). */
  private static char[] readPassphrase(Path file) throws IOException {
    if (Files.size(file) > MAX_PASSPHRASE_BYTES) {
      throw new IOException("longer than " + MAX_PASSPHRASE_BYTES + " bytes");
    }
    byte[] bytes = Files.readAllBytes(file);
    int end = 0;
    while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
      end++;
    }
    CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, end));
    char[] out = new char[chars.remaining()];
    chars.get(out);
    Arrays.fill(bytes, (byte) 0);
    Arrays.fill(chars.array(), '\0');
    if (out.length == 0) {
      throw new IOException("its first line is empty");
    }
    return out;
  }
}

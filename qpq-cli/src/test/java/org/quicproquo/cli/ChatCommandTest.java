package org.quicproquo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.messenger.Messenger;
import org.quicproquo.client.messenger.MessengerConfig;
import org.quicproquo.client.messenger.MessengerListener;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.ServerConfig;
import picocli.CommandLine;

/** {@code qpq chat} refusing to start, each time with one line saying why. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatCommandTest {
  @TempDir Path root;
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void badServerAddressAndUnreadablePassphraseFile() {
    assertThat(run("chat", "--user", "alice", "--server", "no such host:1")).isEqualTo(2);
    assertThat(err.toString()).isEqualTo(
        "error: Invalid --server: invalid host: 'no such host'." + System.lineSeparator());
    Path missing = root.resolve("missing.pass");
    err.getBuffer().setLength(0);
    assertThat(run("chat", "--user", "alice", "--passphrase-file", missing.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).startsWith("error: Cannot read the passphrase file " + missing);
    err.getBuffer().setLength(0);
    assertThat(run("chat", "--user", "../etc")).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: \"../etc\" is not a valid user name: UN-2");
    assertThat(run("chat")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--user=NAME'");
  }

  @Test
  void lockedKeysNeedTheRightPassphraseWhenStdinIsNotATerminal() throws Exception {
    Path state = root.resolve("alice");
    try (QpqServer server = QpqServer.start(new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), root.resolve("server"),
        RpcLimits.defaults()), new SecureRandom(), Clock.systemUTC())) {
      HostPort address = new HostPort("127.0.0.1", server.address().getPort());
      try (Messenger m = Messenger.open(MessengerConfig.of(address, state)
          .withPassphrase("s3cret".toCharArray()), new MessengerListener() { })) {
        m.register("alice");
      }
      String[] base = {"chat", "--user", "alice", "--server", address.toString(), "--state",
          state.toString()};
      assertThat(run(base)).isEqualTo(1);
      assertThat(err.toString()).isEqualTo("error: The keys in " + state.resolve("keys")
          + " are locked; give the passphrase." + System.lineSeparator());

      Path wrong = root.resolve("wrong.pass");
      Files.writeString(wrong, "not it\n");
      err.getBuffer().setLength(0);
      String[] withWrong = java.util.Arrays.copyOf(base, base.length + 2);
      withWrong[base.length] = "--passphrase-file";
      withWrong[base.length + 1] = wrong.toString();
      assertThat(run(withWrong)).isEqualTo(1);
      assertThat(err.toString()).isEqualTo("error: Wrong passphrase for the keys in "
          + state.resolve("keys") + "." + System.lineSeparator());
    }
  }
}

package org.quicproquo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.quicproquo.client.Backoff;
import org.quicproquo.client.ClientConfig;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.messenger.Messenger;
import org.quicproquo.client.messenger.MessengerConfig;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.ServerConfig;

/**
 * The REPL tests' world: a real server on loopback (its data under {@code root/server}) and
 * {@link ChatSession}s against it, each with its messenger open and started, printing to a
 * {@link Screen}. Closing it closes every messenger, then the server.
 */
final class ChatWorld implements AutoCloseable {
  final Path root;
  final QpqServer server;
  final HostPort address;
  private final List<Messenger> open = new ArrayList<>();

  private ChatWorld(Path root, QpqServer server) {
    this.root = root;
    this.server = server;
    this.address = new HostPort("127.0.0.1", server.address().getPort());
  }

  /** A world around a server with default limits. */
  static ChatWorld start(Path root) throws Exception {
    return around(root, QpqServer.start(serverConfig(root), new SecureRandom(),
        Clock.systemUTC()));
  }

  /** A world around {@code server}, started by the caller on {@link #serverConfig}. */
  static ChatWorld around(Path root, QpqServer server) {
    return new ChatWorld(root, server);
  }

  /** Loopback, a port picked at run time, data under {@code root/server}. */
  static ServerConfig serverConfig(Path root) {
    return new ServerConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        root.resolve("server"), RpcLimits.defaults());
  }

  /** A session for {@code user} on state directory {@code root/dir}, its messenger started. */
  Chat chat(String user, String dir) {
    Screen screen = new Screen();
    Path state = root.resolve(dir);
    ChatSession session = new ChatSession(user, address, state, new ChatFormat(ZoneOffset.UTC),
        screen::line);
    ClientConfig cc = new ClientConfig(address, state, RpcLimits.defaults(),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0), 20);
    Messenger m = Messenger.open(MessengerConfig.of(address, state).withClient(cc)
        .withPollInterval(Duration.ofMillis(300)), session);
    open.add(m);
    boolean started = session.start(m);
    return new Chat(session, screen, m, started);
  }

  /** {@link #chat(String, String)} on a state directory named after the user. */
  Chat chat(String user) {
    return chat(user, user);
  }

  /** Closes {@code m} (opened by a test itself) with the world. */
  void closeWithWorld(Messenger m) {
    open.add(m);
  }

  @Override
  public void close() {
    open.forEach(Messenger::close);
    server.close();
  }

  /** One session with what it printed. */
  record Chat(ChatSession session, Screen screen, Messenger messenger, boolean started) {
    /** Runs lines; returns what they printed (and whatever arrived meanwhile). */
    List<String> run(String... lines) {
      int from = screen.size();
      for (String l : lines) {
        assertThat(session.execute(l)).as("continues after %s", l).isTrue();
      }
      return screen.since(from);
    }
  }
}

package org.quicproquo.client.messenger;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.store.StoredMessage;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.ServerConfig;

/** The README's "a client in 30 lines" example, run for real (keep the two in step). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadmeExampleTest {
  @TempDir Path dir;

  /** README example: an echo bot. Everything it needs is in this method. */
  static void echoBot(HostPort server, Path state, String name, int replies) throws Exception {
    BlockingQueue<Conversation> asked = new ArrayBlockingQueue<>(100);
    BlockingQueue<String> texts = new ArrayBlockingQueue<>(100);
    MessengerListener listener = new MessengerListener() {
      @Override
      public void onMessage(Conversation c, StoredMessage m) {
        if (m.kind() == StoredMessage.Kind.TEXT && !m.outgoing()) {
          asked.add(c);
          texts.add(m.sender() + " said: " + m.body());
        }
      }
    };
    try (Messenger bot = Messenger.open(MessengerConfig.of(server, state), listener)) {
      if (bot.isRegistered()) {
        bot.connect();
      } else {
        bot.register(name);
      }
      for (int i = 0; i < replies; i++) {
        Conversation c = asked.take();
        bot.sendText(c, "echo: " + texts.take());
      }
    }
  }

  @Test
  void echoBotAnswers() throws Exception {
    try (QpqServer server = QpqServer.start(new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), dir.resolve("server"),
        RpcLimits.defaults()), new SecureRandom(), Clock.systemUTC())) {
      HostPort addr = new HostPort("127.0.0.1", server.address().getPort());
      Thread bot = new Thread(() -> {
        try {
          echoBot(addr, dir.resolve("bot"), "echo", 1);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      bot.start();
      Recorder rec = new Recorder();
      try (Messenger alice = Messenger.open(MessengerConfig.of(addr, dir.resolve("alice")), rec)) {
        alice.register("alice");
        Conversation dm = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (dm == null) {
          try {
            dm = alice.openDm("echo");
          } catch (MessengerException e) {
            if (System.nanoTime() > deadline) {
              throw e;
            }
            Thread.sleep(100); // the bot is still registering
          }
        }
        alice.sendText(dm, "ping");
        rec.await(t -> t.contains("echo: alice said: ping"));
      }
      bot.join(20_000);
      assertThat(bot.isAlive()).isFalse();
    }
  }
}

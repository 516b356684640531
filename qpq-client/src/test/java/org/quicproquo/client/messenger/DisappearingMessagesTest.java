package org.quicproquo.client.messenger;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.client.Backoff;
import org.quicproquo.client.ClientConfig;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.store.StoredMessage;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.RateLimits;
import org.quicproquo.server.ServerConfig;
import org.quicproquo.server.store.StoreLimits;

/** Disappearing messages with one injected clock for the server and both clients. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DisappearingMessagesTest {
  @TempDir Path root;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00Z"));
  private final List<Messenger> open = new ArrayList<>();

  private Messenger open(QpqServer server, String name, Recorder rec) {
    ClientConfig cc = new ClientConfig(new HostPort("127.0.0.1", server.address().getPort()),
        root.resolve(name), RpcLimits.defaults(),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0), 20);
    Messenger m = Messenger.open(new MessengerConfig(cc, new char[0], Duration.ofMillis(200), 10,
        clock, new SecureRandom(), Duration.ofSeconds(10)), rec);
    open.add(m);
    return m;
  }

  private static List<String> texts(Messenger m, Conversation c) {
    return m.history(c, 100).stream().filter(l -> l.kind() == StoredMessage.Kind.TEXT)
        .map(StoredMessage::body).toList();
  }

  /** Whether any file of the state directory (database, WAL) still holds {@code text}. */
  private static boolean onDisk(Path dir, String text) throws Exception {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        byte[] b = Files.readAllBytes(f);
        outer:
        for (int i = 0; i + needle.length <= b.length; i++) {
          for (int j = 0; j < needle.length; j++) {
            if (b[i + j] != needle[j]) {
              continue outer;
            }
          }
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void expiredMessagesVanishFromServerAndClientsAndAreNeverDelivered() throws Exception {
    try (QpqServer server = QpqServer.start(new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), root.resolve("server"),
        RpcLimits.defaults()), new SecureRandom(), clock, StoreLimits.defaults(),
        RateLimits.defaults())) {
      Recorder a = new Recorder();
      Recorder b = new Recorder();
      Messenger alice = open(server, "alice", a);
      alice.register("alice");
      Messenger bob = open(server, "bob", b);
      bob.register("bob");
      Conversation dm = alice.openDm("bob");
      alice.setDisappearing(dm, Duration.ofMinutes(1));
      bob.sync();
      Conversation bobDm = bob.find("@alice");
      // The announcement leaves alice after setDisappearing returned: wait for it to arrive.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (bob.disappearing(bobDm).isZero() && System.nanoTime() < deadline) {
        Thread.sleep(20);
        bob.sync();
      }
      assertThat(bob.disappearing(bobDm)).isEqualTo(Duration.ofMinutes(1));
      assertThat(bob.history(bobDm, 10)).extracting(StoredMessage::body)
          .contains("alice set disappearing messages to 1m.");
      assertThat(alice.details(dm).disappearing()).isEqualTo(Duration.ofMinutes(1));

      alice.sendText(dm, "the vault code is 4711");
      b.await(t -> t.contains("the vault code is 4711"));
      bob.close();
      open.remove(bob);
      alice.sendText(dm, "sent while bob is away");
      alice.sync(); // on the server now, for a minute
      assertThat(texts(alice, dm)).containsExactly("the vault code is 4711",
          "sent while bob is away");

      clock.advance(Duration.ofSeconds(61));
      assertThat(texts(alice, dm)).isEmpty();
      assertThat(onDisk(root.resolve("alice"), "the vault code is 4711")).isFalse();

      Recorder b2 = new Recorder();
      Messenger bobAgain = open(server, "bob", b2);
      bobAgain.connect();
      bobAgain.sync();
      assertThat(b2.texts()).as("nothing expired is ever delivered").isEmpty();
      assertThat(texts(bobAgain, bobAgain.find("@alice"))).isEmpty();
      assertThat(onDisk(root.resolve("bob"), "the vault code is 4711")).isFalse();

      alice.setDisappearing(dm, Duration.ZERO);
      alice.sendText(dm, "this one stays");
      b2.await(t -> t.contains("this one stays"));
      clock.advance(Duration.ofDays(30));
      assertThat(texts(bobAgain, bobAgain.find("@alice"))).containsExactly("this one stays");
    } finally {
      open.forEach(Messenger::close);
    }
  }
}

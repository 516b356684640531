package org.quicproquo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.client.Backoff;
import org.quicproquo.client.ClientConfig;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.messenger.Conversation;
import org.quicproquo.client.messenger.Messenger;
import org.quicproquo.client.messenger.MessengerConfig;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.BlobLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.RateLimits;
import org.quicproquo.server.ServerConfig;
import org.quicproquo.server.store.StoreLimits;

/**
 * Traffic padding end to end (issue 7): a real server and three messengers over QUIC on loopback
 * exchange DMs and group messages of 1 to 16,384 bytes (the longest text a messenger sends;
 * {@code WirePaddingIntegrationTest} in qpq-rpc covers raw RPC payloads up to 20,000 bytes), with
 * invites and a kick (Commits, Welcomes, KeyPackages, GroupInfo, fetches, acks, pushes). The server records the size of every
 * frame it reads (the clients' calls) and writes (returns and pushes): every one must be a bucket
 * (docs/wire.md section 3). Without padding on the server,
 * its frames show other sizes, so the recording is real.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WirePaddingTest {
  private static final int[] LENGTHS = {1, 2, 17, 100, 255, 256, 700, 1000, 1500, 3000, 5000,
      9000, 12000, 16384};

  @TempDir Path root;

  record Frames(List<Integer> read, List<Integer> written) {}

  private Frames scenario(Path dir, boolean serverPads) throws Exception {
    List<Integer> read = new CopyOnWriteArrayList<>();
    List<Integer> written = new CopyOnWriteArrayList<>();
    ServerConfig config = new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), dir.resolve("server"),
        RpcLimits.defaults()).withWirePadding(serverPads);
    List<Messenger> open = new ArrayList<>();
    try (QpqServer server = QpqServer.start(config, new SecureRandom(), Clock.systemUTC(),
        StoreLimits.defaults(), RateLimits.defaults(), BlobLimits.defaults(),
        (sent, bytes) -> (sent ? written : read).add(bytes))) {
      String[] names = {"alice", "bob", "carol"};
      RedactLogsTest.Recorder[] recs = new RedactLogsTest.Recorder[3];
      Messenger[] ms = new Messenger[3];
      for (int i = 0; i < 3; i++) {
        recs[i] = new RedactLogsTest.Recorder();
        ClientConfig cc = new ClientConfig(new HostPort("127.0.0.1", server.address().getPort()),
            dir.resolve(names[i]), RpcLimits.defaults(),
            new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0), 20);
        ms[i] = Messenger.open(MessengerConfig.of(cc.server(), cc.stateDir()).withClient(cc)
            .withPollInterval(Duration.ofMillis(300)), recs[i]);
        open.add(ms[i]);
        ms[i].register(names[i]);
      }
      Conversation dm = ms[0].openDm("bob");
      Conversation g = ms[0].createGroup("team");
      g = ms[0].invite(g, "bob");
      g = ms[0].invite(g, "carol");
      for (int len : LENGTHS) {
        String text = "d".repeat(len);
        ms[0].sendText(dm, text);
        recs[1].await(t -> t.contains(text));
        String groupText = "g".repeat(len);
        ms[1].sendText(ms[1].find("#team"), groupText);
        recs[2].await(t -> t.contains(groupText));
      }
      g = ms[0].kick(g, "carol");
      ms[0].sendText(g, "after");
      recs[1].await(t -> t.contains("after"));
    } finally {
      open.forEach(Messenger::close);
    }
    return new Frames(read, written);
  }

  /** docs/wire.md section 3: 2^k for k >= 8, and 2^k + 4 KiB for k >= 16. */
  private static boolean bucket(int n) {
    return n >= 256 && Integer.bitCount(n) == 1
        || n - 4096 >= 65536 && Integer.bitCount(n - 4096) == 1;
  }

  @Test
  void everyFrameOnTheWireIsABucket() throws Exception {
    Frames f = scenario(root.resolve("padded"), true);
    assertThat(f.read()).hasSizeGreaterThan(50);
    assertThat(f.written()).hasSizeGreaterThan(50);
    assertThat(f.read()).allSatisfy(n -> assertThat(bucket(n)).as("read %d", n).isTrue());
    assertThat(f.written()).allSatisfy(n -> assertThat(bucket(n)).as("wrote %d", n).isTrue());
    // Messages of 1 to 16,384 bytes spread over several buckets, up to at least 32 KiB.
    assertThat(f.written().stream().distinct().count()).isGreaterThanOrEqualTo(4);
    assertThat(f.read()).anyMatch(n -> n >= 32768);
  }

  @Test
  void withoutServerPaddingOtherSizesShow() throws Exception {
    Frames f = scenario(root.resolve("plain"), false);
    assertThat(f.written()).anyMatch(n -> !bucket(n));
    // The clients still pad what they send.
    assertThat(f.read()).allMatch(WirePaddingTest::bucket);
  }
}

package org.quicproquo.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.capnproto.AnyPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Over real QUIC on loopback: calls, returns, errors and server pushes of 1 to 20,000 bytes, with
 * every frame's size recorded by both ends as written to and read from the streams. Padded, only
 * bucket sizes occur; with padding off on both ends the same traffic shows many other sizes (so
 * the recording is real).
 */
@Timeout(120)
class WirePaddingIntegrationTest {
  record Frames(List<Integer> clientSent, List<Integer> clientRead, List<Integer> serverSent,
      List<Integer> serverRead) {
    List<Integer> all() {
      List<Integer> out = new ArrayList<>(clientSent);
      out.addAll(clientRead);
      out.addAll(serverSent);
      out.addAll(serverRead);
      return out;
    }
  }

  private static Frames scenario(boolean pad) throws Exception {
    List<Integer> cs = new CopyOnWriteArrayList<>();
    List<Integer> cr = new CopyOnWriteArrayList<>();
    List<Integer> ss = new CopyOnWriteArrayList<>();
    List<Integer> sr = new CopyOnWriteArrayList<>();
    EchoCapability echo = new EchoCapability();
    var events = new LinkedBlockingQueue<String>();
    try (RpcServer server = RpcServer.builder(TestIdentities.fresh(), conn -> echo)
        .padding(pad).frameListener((sent, n) -> (sent ? ss : sr).add(n)).start();
        RpcClient client = RpcClient.builder(server.localAddress(),
            ServerTrust.pinned(server.fingerprint())).padding(pad)
            .events(e -> events.add(EchoCapability.text(e.getRoot(AnyPointer.factory))))
            .frameListener((sent, n) -> (sent ? cs : cr).add(n))
            .connect().get(20, TimeUnit.SECONDS)) {
      RpcConnection c = client.openStream().get(20, TimeUnit.SECONDS);
      Random random = new Random(7);
      List<CompletableFuture<?>> calls = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        int len = i < 20 ? i + 1 : 1 + random.nextInt(20_000);
        String s = "m".repeat(len);
        int method = switch (i % 4) {
          case 0, 1 -> EchoCapability.ECHO;
          case 2 -> EchoCapability.PUSH;
          default -> EchoCapability.FAIL;
        };
        calls.add(c.call(EchoCapability.INTERFACE_ID, method,
            p -> EchoCapability.setText(p, s), r -> r).handle((r, e) -> null));
      }
      calls.add(c.call(EchoCapability.INTERFACE_ID, EchoCapability.BIG,
          p -> EchoCapability.setText(p, "20000"), EchoCapability::text));
      for (CompletableFuture<?> f : calls) {
        f.get(20, TimeUnit.SECONDS);
      }
      // Pushes are hints the server may drop under load; some must have arrived.
      assertThat(events.poll(20, TimeUnit.SECONDS)).isNotNull();
      while (events.poll(1, TimeUnit.SECONDS) != null) {
        continue; // let the rest arrive, so their frames are recorded too
      }
    }
    Thread.sleep(200);
    return new Frames(cs, cr, ss, sr);
  }

  @Test
  void onlyBucketSizesOccurOnTheWire() throws Exception {
    Frames f = scenario(true);
    // Calls + Finish out, Returns and pushes in, and the server saw the same from its side.
    assertThat(f.clientSent()).hasSizeGreaterThan(120);
    assertThat(f.serverSent()).hasSizeGreaterThan(150);
    assertThat(f.clientRead()).isNotEmpty();
    assertThat(f.serverRead()).isNotEmpty();
    assertThat(f.all()).allSatisfy(n -> assertThat(FramePadding.isBucket(n,
        RpcLimits.defaults().maxMessageBytes())).as("frame of %d bytes", n).isTrue());
    assertThat(f.all().stream().distinct().toList())
        .containsAnyOf(256, 512, 1024, 2048, 4096, 8192, 16384, 32768);
  }

  @Test
  void withoutPaddingOtherSizesOccur() throws Exception {
    Frames f = scenario(false);
    assertThat(f.all()).anyMatch(n -> !FramePadding.isBucket(n,
        RpcLimits.defaults().maxMessageBytes()));
    assertThat(f.all().stream().distinct().count()).isGreaterThan(40);
  }
}

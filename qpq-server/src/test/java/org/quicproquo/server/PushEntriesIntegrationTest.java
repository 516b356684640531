package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.server.TestNode.BatchItem;
import org.quicproquo.server.TestNode.Envelope;

/** The entries a "new messages" push carries (docs/wire.md, Push): exactly what fetch returns. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PushEntriesIntegrationTest {
  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();
  private QpqServer server;
  private final List<TestNode> nodes = new ArrayList<>();
  private TestNode a;
  private TestNode b;
  private TestAccount bob;
  private TestAccount carol;

  @BeforeEach
  void start() throws Exception {
    server = ServerFixture.start(dir);
    TestAccount alice = TestAccount.generate("alice", random);
    bob = TestAccount.generate("bob", random);
    carol = TestAccount.generate("carol", random);
    a = node();
    b = node();
    TestNode c = node();
    a.register(alice);
    a.login(alice);
    b.register(bob);
    b.login(bob);
    c.register(carol);
    c.login(carol);
  }

  @AfterEach
  void stop() {
    nodes.forEach(TestNode::close);
    server.close();
  }

  private TestNode node() throws Exception {
    TestNode n = TestNode.connect(server);
    nodes.add(n);
    return n;
  }

  private byte[] bytes(int n) {
    byte[] out = new byte[n];
    random.nextBytes(out);
    return out;
  }

  @Test
  void anEnqueuesPushCarriesTheEntryAsFetchReturnsIt() throws Exception {
    byte[] m1 = bytes(16);
    byte[] m2 = bytes(16);
    a.enqueueCall(m1, List.of(bob.deviceId), bytes(300), false);
    List<Envelope> first = b.nextPushedEntries(10_000);
    a.enqueueCall(m2, List.of(bob.deviceId, carol.deviceId), bytes(200), false);
    List<Envelope> second = b.nextPushedEntries(10_000);

    List<Envelope> fetched = b.fetchCall(bob.deviceId);
    assertThat(fetched).hasSize(2);
    assertThat(first).hasSize(1);
    assertThat(second).hasSize(1);
    assertSame(first.get(0), fetched.get(0));
    assertSame(second.get(0), fetched.get(1));
    assertThat(second.get(0).seq()).isEqualTo(first.get(0).seq() + 1);
  }

  @Test
  void aBatchIsOneEventWithItsEntriesInQueueOrder() throws Exception {
    byte[] x = bytes(16);
    byte[] y = bytes(16);
    byte[] z = bytes(16);
    a.enqueueBatchCall(List.of(new BatchItem(x, List.of(bob.deviceId), bytes(10)),
        new BatchItem(y, List.of(carol.deviceId), bytes(10)),
        new BatchItem(z, List.of(bob.deviceId), bytes(10))));
    List<Envelope> pushed = b.nextPushedEntries(10_000);
    List<Envelope> fetched = b.fetchCall(bob.deviceId);
    assertThat(fetched).hasSize(2);
    assertThat(pushed).hasSize(2);
    assertSame(pushed.get(0), fetched.get(0));
    assertSame(pushed.get(1), fetched.get(1));
    assertThat(b.nextPushedEntries(200)).isNull(); // one event for the batch
  }

  @Test
  void bigEntriesAreAnnouncedByCountOnly() throws Exception {
    a.enqueueCall(bytes(16), List.of(bob.deviceId),
        bytes(org.quicproquo.server.NodeService.PUSH_PAYLOAD_BYTES + 1), false);
    assertThat(b.nextPushedEntries(10_000)).isEmpty();
    assertThat(b.nextEvent(1_000)).isEqualTo(1);
    assertThat(b.fetchCall(bob.deviceId)).hasSize(1);
  }

  private static void assertSame(Envelope pushed, Envelope fetched) {
    assertThat(pushed.seq()).isEqualTo(fetched.seq());
    assertThat(pushed.id()).isEqualTo(fetched.id());
    assertThat(pushed.payload()).isEqualTo(fetched.payload());
  }
}

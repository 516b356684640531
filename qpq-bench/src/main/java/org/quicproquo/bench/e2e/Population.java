package org.quicproquo.bench.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.quicproquo.client.Backoff;
import org.quicproquo.client.ClientConfig;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.messenger.Conversation;
import org.quicproquo.client.messenger.Messenger;
import org.quicproquo.client.messenger.MessengerConfig;
import org.quicproquo.server.QpqServer;

/**
 * The messengers of a run, each a full SDK instance ({@link Messenger}: own SQLite file, own
 * connection, own thread) registered on the server as user {@code uN}. Messenger {@code 2p} and
 * {@code 2p+1} share a DM; messengers {@code 10k .. 10k+9} share the group {@code gk}, created by
 * the first and joined by the others through one invite commit each.
 */
final class Population implements AutoCloseable {
  static final int GROUP_SIZE = 10;

  private final List<Messenger> messengers = new ArrayList<>();
  private final Conversation[] dm;
  private final Conversation[] group;

  private Population(int size) {
    dm = new Conversation[size];
    group = new Conversation[size];
  }

  /**
   * Registers {@code size} messengers (an even number) and sets up every DM and every complete
   * group (messengers past the last multiple of {@link #GROUP_SIZE} are in no group). Setup runs
   * on a few threads; none of it is measured.
   */
  static Population create(QpqServer server, Path dir, int size, DeliveryTracker tracker)
      throws Exception {
    if (size < 2 || size % 2 != 0) {
      throw new IllegalArgumentException("population must be even and at least 2");
    }
    Population p = new Population(size);
    HostPort address = new HostPort("127.0.0.1", server.address().getPort());
    try {
      for (int i = 0; i < size; i++) {
        ClientConfig cc = new ClientConfig(address, dir.resolve("u" + i), BenchServer.limits(),
            new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0), 8);
        p.messengers.add(Messenger.open(MessengerConfig.of(address, cc.stateDir())
            .withClient(cc).withPollInterval(Duration.ofSeconds(2)), tracker.listenerFor(i)));
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Callable<Void>> steps = new ArrayList<>();
        for (int i = 0; i < size; i++) {
          int n = i;
          steps.add(() -> {
            p.messengers.get(n).register("u" + n);
            return null;
          });
        }
        runAll(pool, steps);
        steps.clear();
        for (int i = 0; i < size; i += 2) {
          int a = i;
          steps.add(() -> {
            p.setUpDm(a, a + 1);
            return null;
          });
        }
        for (int i = 0; i + GROUP_SIZE <= size; i += GROUP_SIZE) {
          int first = i;
          steps.add(() -> {
            p.setUpGroup(first);
            return null;
          });
        }
        runAll(pool, steps);
      } finally {
        pool.shutdownNow();
      }
      return p;
    } catch (Exception | Error e) {
      p.close();
      throw e;
    }
  }

  private static void runAll(ExecutorService pool, List<Callable<Void>> steps) throws Exception {
    List<Future<Void>> running = new ArrayList<>();
    for (Callable<Void> s : steps) {
      running.add(pool.submit(s));
    }
    for (Future<Void> f : running) {
      f.get(10, TimeUnit.MINUTES);
    }
  }

  private void setUpDm(int a, int b) {
    Conversation c = messengers.get(a).openDm("u" + b);
    dm[a] = c;
    dm[b] = joined(b, c);
  }

  private void setUpGroup(int first) {
    Messenger creator = messengers.get(first);
    Conversation c = creator.createGroup("g" + first / GROUP_SIZE);
    for (int i = first + 1; i < first + GROUP_SIZE; i++) {
      c = creator.invite(c, "u" + i);
    }
    group[first] = c;
    for (int i = first + 1; i < first + GROUP_SIZE; i++) {
      group[i] = joined(i, c);
    }
  }

  /** Messenger {@code n}'s view of a conversation it was invited to. */
  private Conversation joined(int n, Conversation c) {
    Messenger m = messengers.get(n);
    m.sync();
    for (Conversation mine : m.conversations()) {
      if (Arrays.equals(mine.groupId(), c.groupId()) && !mine.left()) {
        return mine;
      }
    }
    throw new IllegalStateException("u" + n + " did not join " + c.label());
  }

  int size() {
    return messengers.size();
  }

  Messenger messenger(int n) {
    return messengers.get(n);
  }

  /** Messenger {@code n}'s DM with its partner. */
  Conversation dm(int n) {
    return dm[n];
  }

  static int dmPartner(int n) {
    return n ^ 1;
  }

  /** Messenger {@code n}'s group. */
  Conversation group(int n) {
    return group[n];
  }

  /** The other members of messenger {@code n}'s group. */
  static int[] groupPeers(int n) {
    int first = n - n % GROUP_SIZE;
    int[] out = new int[GROUP_SIZE - 1];
    int k = 0;
    for (int i = first; i < first + GROUP_SIZE; i++) {
      if (i != n) {
        out[k++] = i;
      }
    }
    return out;
  }

  @Override
  public void close() {
    messengers.parallelStream().forEach(Messenger::close);
  }
}

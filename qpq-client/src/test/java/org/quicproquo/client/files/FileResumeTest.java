package org.quicproquo.client.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.client.NodeClient;
import org.quicproquo.server.BlobLimits;
import org.quicproquo.server.QpqServer;

/**
 * A large file between two users with the connection cut twice in each direction: the upload
 * survives two server restarts, the download two dropped client links. Both resume from the last
 * confirmed chunk, the file arrives intact, and the heap (client and server share this JVM) stays
 * far below the file size. 1 GiB by default; {@code -Dqpq.files.resumeMiB=N} changes it.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class FileResumeTest {
  @TempDir Path dir;

  @Test
  void aLargeFileSurvivesTwoCutsEachWayWithFlatMemory() throws Exception {
    long size = Long.getLong("qpq.files.resumeMiB", 1024) << 20;
    Path src = TestClients.randomFile(dir.resolve("src.bin"), size, 42);
    Path serverData = dir.resolve("server");
    AtomicReference<QpqServer> server =
        new AtomicReference<>(TestClients.server(serverData, 0, BlobLimits.defaults()));
    int port = server.get().address().getPort();
    HeapSampler heap = new HeapSampler();
    ExecutorService cutter = Executors.newSingleThreadExecutor();
    try (NodeClient alice = TestClients.loggedIn("alice", port, dir.resolve("alice"));
        NodeClient bob = TestClients.loggedIn("bob", port, dir.resolve("bob"))) {
      TransferOptions d = TransferOptions.defaults();
      TransferOptions options = new TransferOptions(d.plainChunkSize(), d.window(),
          d.maxAttempts(), Duration.ofMillis(200), Duration.ofSeconds(20), 0);
      heap.start();

      // upload: the server is restarted (same port and data directory) at 1/3 and 2/3
      AtomicInteger cuts = new AtomicInteger();
      AtomicReference<Future<?>> pending = new AtomicReference<>();
      long t0 = System.nanoTime();
      FileLink link = new FileTransfer(alice, new SecureRandom(), options).upload(src, "big.bin",
          "application/octet-stream", (done, total, rate) -> {
            int n = cuts.get();
            if (n < 2 && done >= (n + 1) * total / 3 && cuts.compareAndSet(n, n + 1)) {
              pending.set(cutter.submit(() -> {
                server.get().close();
                server.set(TestClients.server(serverData, port, BlobLimits.defaults()));
                return null;
              }));
            }
          });
      double upSeconds = (System.nanoTime() - t0) / 1e9;
      pending.get().get(60, TimeUnit.SECONDS);
      assertThat(cuts.get()).isEqualTo(2);

      // download: bob's link is dropped at 1/3 and 2/3
      AtomicInteger drops = new AtomicInteger();
      AtomicLong resumedFrom = new AtomicLong();
      Path dst = dir.resolve("dst.bin");
      long t1 = System.nanoTime();
      new FileTransfer(bob, new SecureRandom(), options).download(link, dst,
          (done, total, rate) -> {
            int n = drops.get();
            if (n < 2 && done >= (n + 1) * total / 3 && drops.compareAndSet(n, n + 1)) {
              resumedFrom.set(done);
              cutter.submit(bob::dropLink);
            }
          });
      double downSeconds = (System.nanoTime() - t1) / 1e9;
      heap.stop();
      assertThat(drops.get()).isEqualTo(2);
      assertThat(Files.mismatch(src, dst)).isEqualTo(-1);

      System.out.printf("FileResumeTest: %d MiB; upload %.1f s (%.0f MiB/s) with 2 server "
          + "restarts, download %.1f s (%.0f MiB/s) with 2 dropped links; peak heap used "
          + "%d MiB, peak old gen after GC %d MiB (max heap %d MiB)%n", size >> 20, upSeconds,
          (size >> 20) / upSeconds, downSeconds, (size >> 20) / downSeconds,
          heap.peakUsed() >> 20, heap.peakLiveAfterGc() >> 20,
          Runtime.getRuntime().maxMemory() >> 20);
      // flat: what survives collection stays far below the file (a whole-file buffer would not)
      assertThat(heap.peakLiveAfterGc()).isLessThan(Math.min(size / 2, 192L << 20));
    } finally {
      heap.stop();
      cutter.shutdownNow();
      server.get().close();
    }
  }

  /** Samples heap use every 20 ms; also tracks old-generation use right after collections. */
  static final class HeapSampler {
    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakLive = new AtomicLong();
    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null).toList();
    private volatile boolean running;
    private Thread thread;

    void start() {
      running = true;
      thread = new Thread(() -> {
        while (running) {
          sample();
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void sample() {
      peakUsed.accumulateAndGet(
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
      long live = 0;
      for (MemoryPoolMXBean p : pools) {
        if (p.getName().contains("Old") || p.getName().contains("Tenured")) {
          live += p.getCollectionUsage().getUsed();
        }
      }
      peakLive.accumulateAndGet(live, Math::max);
    }

    void stop() throws InterruptedException {
      running = false;
      if (thread != null) {
        thread.join();
      }
      sample();
    }

    long peakUsed() {
      return peakUsed.get();
    }

    long peakLiveAfterGc() {
      return peakLive.get();
    }
  }
}

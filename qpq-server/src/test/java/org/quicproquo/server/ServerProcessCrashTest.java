package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.rpc.CertificateFingerprint;

/**
 * Security invariant 4 at process level: a server process killed with SIGKILL
 * ({@link Process#destroyForcibly()}) and restarted on the same data directory and port still
 * delivers every enqueue it had acknowledged, exactly once. Also pins the startup line that
 * scripts parse.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServerProcessCrashTest {
  /** {@link QpqServer#startupLine()}; the fingerprint is 64 lower-case hex digits. */
  private static final Pattern STARTUP = Pattern.compile(
      "qpq-server listening on (\\S+):(\\d+) fingerprint ([0-9a-f]{64})");

  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();
  private final List<Process> processes = new ArrayList<>();
  private final List<TestNode> nodes = new ArrayList<>();

  /** A started server process and what its startup line said. */
  private record Running(Process process, InetSocketAddress address,
      CertificateFingerprint fingerprint) {}

  @AfterEach
  void stop() throws InterruptedException {
    nodes.forEach(TestNode::close);
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private Running startServer(Path data, String listen, int run) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path stderr = dir.resolve("server-" + run + ".err");
    Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(),
        "--listen", listen, "--data", data.toString())
        .redirectError(stderr.toFile())
        .start();
    processes.add(p);
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process was killed; nothing more to read
      }
    }, "server-" + run + "-stdout");
    reader.setDaemon(true);
    reader.start();
    String line = lines.poll(60, TimeUnit.SECONDS);
    assertThat(line).as("startup line of run %d; stderr:%n%s", run, tail(stderr)).isNotNull();
    Matcher m = STARTUP.matcher(line);
    assertThat(m.matches()).as("startup line %s", line).isTrue();
    return new Running(p, new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))),
        CertificateFingerprint.parse(m.group(3)));
  }

  private static String tail(Path file) throws IOException {
    if (!Files.exists(file)) {
      return "";
    }
    List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
    return String.join("\n", all.subList(Math.max(0, all.size() - 20), all.size()));
  }

  private TestNode connect(Running r) throws Exception {
    TestNode n = TestNode.connect(r.address(), r.fingerprint());
    nodes.add(n);
    return n;
  }

  private byte[] id() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return b;
  }

  @Test
  void anAcknowledgedEnqueueSurvivesSigkillAndIsDeliveredExactlyOnce() throws Exception {
    Path data = dir.resolve("data");
    Running first = startServer(data, "127.0.0.1:0", 1);
    assertThat(first.address().getPort()).isPositive();
    TestAccount alice = TestAccount.generate("alice", random);
    TestAccount bob = TestAccount.generate("bob", random);
    TestNode a = connect(first);
    a.register(alice);
    a.register(bob);
    a.login(alice);
    byte[] delivered = id();
    byte[] pending = id();
    assertThat(a.enqueueCall(delivered, List.of(bob.deviceId),
        "read before the crash".getBytes(StandardCharsets.UTF_8), false)).containsExactly(1, 0);
    TestNode b = connect(first);
    b.login(bob);
    assertThat(b.ackCall(bob.deviceId, List.of(delivered))).isEqualTo(1);
    assertThat(a.enqueueCall(pending, List.of(bob.deviceId),
        "survives".getBytes(StandardCharsets.UTF_8), false)).containsExactly(1, 0);

    // SIGKILL right after the enqueue returned: no shutdown hook, no orderly close.
    first.process().destroyForcibly();
    assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(first.process().exitValue()).isNotZero();
    nodes.forEach(TestNode::close);
    nodes.clear();

    Running second = startServer(data, "127.0.0.1:" + first.address().getPort(), 2);
    assertThat(second.address()).isEqualTo(first.address());
    assertThat(second.fingerprint()).as("same TLS identity").isEqualTo(first.fingerprint());
    TestNode b2 = connect(second);
    b2.login(bob);
    List<TestNode.Envelope> got = b2.fetchCall(bob.deviceId);
    assertThat(got).hasSize(1);
    assertThat(got.get(0).id()).isEqualTo(pending);
    assertThat(new String(got.get(0).payload(), StandardCharsets.UTF_8)).isEqualTo("survives");

    // alice's client retries both enqueues (it cannot know what the crash took): no duplicates,
    // and the message bob acknowledged before the crash does not come back.
    TestNode a2 = connect(second);
    a2.login(alice);
    assertThat(a2.enqueueCall(pending, List.of(bob.deviceId),
        "survives".getBytes(StandardCharsets.UTF_8), false)).containsExactly(0, 1);
    assertThat(a2.enqueueCall(delivered, List.of(bob.deviceId),
        "read before the crash".getBytes(StandardCharsets.UTF_8), false)).containsExactly(0, 1);
    assertThat(b2.fetchCall(bob.deviceId)).extracting(TestNode.Envelope::id)
        .containsExactly(pending);
    assertThat(b2.ackCall(bob.deviceId, List.of(pending))).isEqualTo(1);
    assertThat(b2.fetchCall(bob.deviceId)).isEmpty();
  }
}

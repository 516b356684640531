package org.quicproquo.client.messenger;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.ServerConfig;

/**
 * A qpq server in a separate JVM, so a test can kill it with SIGKILL ({@code kill -9}) and restart
 * it on the same data directory and port. {@link #main} is the child's entry point.
 */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  final int port;

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static ServerProcess start(Path data, int port) throws Exception {
    String java = ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ServerProcess.class.getName(), data.toString(), Integer.toString(port))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("listening ")) {
      p.destroyForcibly();
      throw new IllegalStateException("server process did not start: " + line);
    }
    return new ServerProcess(p, Integer.parseInt(line.substring("listening ".length()).strip()));
  }

  /** SIGKILL: no shutdown hooks, no flushing; what is not on disk is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }

  public static void main(String[] args) throws Exception {
    QpqServer server = QpqServer.start(new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[1])),
        Path.of(args[0]), RpcLimits.defaults()), new SecureRandom(), Clock.systemUTC());
    System.out.println("listening " + server.address().getPort());
    System.out.flush();
    Thread.currentThread().join();
  }
}

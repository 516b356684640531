package org.quicproquo.bench.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.quicproquo.server.QpqServer;

/**
 * The server side of the idle-clients measurement, in a JVM of its own so that its heap holds
 * nothing but the server: {@code ServerChildMain DATA_DIR} starts a {@link BenchServer}, prints
 * {@link QpqServer#startupLine()}, then answers each {@code heap} line on stdin with
 * {@code heap USED COMMITTED} (bytes, after two full collections). It stops when stdin closes.
 */
public final class ServerChildMain {
  private ServerChildMain() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ServerChildMain DATA_DIR");
      System.exit(2);
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (QpqServer server = BenchServer.start(Path.of(args[0]));
        BufferedReader in = new BufferedReader(
            new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      out.println(server.startupLine());
      String line;
      while ((line = in.readLine()) != null) {
        if (line.strip().equals("heap")) {
          // Two collections: the first may only queue finalizable and weakly reachable objects.
          System.gc();
          System.gc();
          MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
          out.println("heap " + heap.getUsed() + " " + heap.getCommitted());
        } else {
          out.println("error unknown command");
        }
      }
    }
  }
}

package org.quicproquo.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.capnproto.AnyPointer;
import org.quicproquo.proto.Qpq;
import org.quicproquo.rpc.CertificateFingerprint;
import org.quicproquo.rpc.EventListener;
import org.quicproquo.rpc.ExceptionType;
import org.quicproquo.rpc.FingerprintMismatchException;
import org.quicproquo.rpc.RpcClient;
import org.quicproquo.rpc.RpcConnection;
import org.quicproquo.rpc.RpcErrors;
import org.quicproquo.rpc.RpcException;
import org.quicproquo.rpc.ServerTrust;

/**
 * A client's link to its server's {@code NodeService}. Connects lazily, pins the server certificate
 * on first use (refusing a changed one), and after a disconnect reconnects with backoff and retries
 * idempotent calls, so a server restart is invisible to callers except as latency.
 *
 * <p>Thread-safe. {@link #close()} stops reconnecting and releases the connection.
 */
public final class NodeClient implements AutoCloseable {
  private final ClientConfig config;
  private final KnownServers pins;
  private final EventListener events;
  private final ScheduledExecutorService timer;
  private final SplittableRandom jitter = new SplittableRandom();

  private final Object lock = new Object();
  private CompletableFuture<Link> current;
  private boolean closed;

  /** The QUIC connection and the RPC stream on it that calls go through. */
  private record Link(RpcClient client, RpcConnection rpc) {
    boolean alive() {
      return !client.closeFuture().isDone() && !rpc.closeFuture().isDone();
    }
  }

  private NodeClient(ClientConfig config, KnownServers pins, EventListener events) {
    this.config = config;
    this.pins = pins;
    this.events = events;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "qpq-client-reconnect");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Creates a client; nothing is sent until the first call.
   *
   * @throws IOException if the state directory's pin file cannot be read
   */
  public static NodeClient create(ClientConfig config, EventListener events) throws IOException {
    return new NodeClient(config, KnownServers.load(config.stateDir()), events);
  }

  /** {@code serverInfo @0}: the server's version, cipher suites and limits. Idempotent. */
  public CompletableFuture<ServerInfo> serverInfo() {
    return callIdempotent(Qpq.NodeService.TYPE_ID, Qpq.NodeService.METHOD_SERVER_INFO,
        p -> p.initAs(Qpq.NodeService.ServerInfoParams.factory),
        r -> toServerInfo(r.getAs(Qpq.NodeService.ServerInfoResults.factory).getInfo()));
  }

  /** The fingerprint pinned for this client's server, once known. */
  public java.util.Optional<CertificateFingerprint> pinnedFingerprint() {
    return pins.pinned(config.server().toString());
  }

  /**
   * Calls a method that may safely run twice: on {@code disconnected} it reconnects (with backoff)
   * and calls again, once.
   */
  <T> CompletableFuture<T> callIdempotent(long interfaceId, int methodId,
      Consumer<AnyPointer.Builder> params, Function<AnyPointer.Reader, T> results) {
    return call(interfaceId, methodId, params, results).exceptionallyCompose(e -> {
      if (isDisconnect(unwrap(e))) {
        return call(interfaceId, methodId, params, results);
      }
      return CompletableFuture.failedFuture(unwrap(e));
    });
  }

  private <T> CompletableFuture<T> call(long interfaceId, int methodId,
      Consumer<AnyPointer.Builder> params, Function<AnyPointer.Reader, T> results) {
    return link().thenCompose(l -> l.rpc().call(interfaceId, methodId, params, results));
  }

  private static boolean isDisconnect(Throwable t) {
    return t instanceof RpcException r && r.type() == ExceptionType.DISCONNECTED;
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The live link, or a new one if there is none or it died. */
  private CompletableFuture<Link> link() {
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new RpcException(ExceptionType.DISCONNECTED,
            RpcErrors.CANCELED, "client is closed"));
      }
      if (current != null && (!current.isDone()
          || (!current.isCompletedExceptionally() && current.join().alive()))) {
        return current;
      }
      if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
        current.join().client().close();
      }
      CompletableFuture<Link> next = new CompletableFuture<>();
      current = next;
      attempt(next, 0);
      return next;
    }
  }

  private void attempt(CompletableFuture<Link> result, int n) {
    ServerTrust trust = ServerTrust.trustOnFirstUse(pins);
    RpcClient.builder(config.server().resolve(), trust)
        .serverName(config.server().toString())
        .limits(config.limits())
        .events(events)
        .connect()
        .thenCompose(c -> c.openStream().thenApply(s -> new Link(c, s))
            .whenComplete((l, e) -> {
              if (e != null) {
                c.close();
              }
            }))
        .whenComplete((l, e) -> {
          if (e == null) {
            boolean stillWanted;
            synchronized (lock) {
              stillWanted = !closed;
            }
            if (stillWanted) {
              result.complete(l);
            } else {
              l.client().close();
              result.completeExceptionally(new RpcException(ExceptionType.DISCONNECTED,
                  RpcErrors.CANCELED, "client is closed"));
            }
            return;
          }
          Throwable cause = unwrap(e);
          if (cause instanceof FingerprintMismatchException) {
            // A changed certificate is never retried: it needs a human decision.
            result.completeExceptionally(cause);
            return;
          }
          boolean stop;
          synchronized (lock) {
            stop = closed;
          }
          if (stop || n + 1 >= config.maxConnectAttempts()) {
            result.completeExceptionally(new RpcException(ExceptionType.DISCONNECTED,
                RpcErrors.CONNECT_FAILED, "cannot reach " + config.server() + " after "
                    + (n + 1) + " attempts (last error: " + cause.getMessage() + ")", cause));
            return;
          }
          long delay = config.backoff().delay(n, jitter).toMillis();
          timer.schedule(() -> attempt(result, n + 1), delay, TimeUnit.MILLISECONDS);
        });
  }

  private static ServerInfo toServerInfo(Qpq.ServerInfo.Reader r) {
    List<Integer> suites = new ArrayList<>();
    var list = r.getCipherSuites();
    for (int i = 0; i < list.size(); i++) {
      suites.add(list.get(i) & 0xffff);
    }
    Qpq.Limits.Reader l = r.getLimits();
    return new ServerInfo(r.getVersion().toString(), suites, l.getMaxMessageBytes() & 0xffffffffL,
        l.getMaxTraversalWords(), l.getMaxNestingDepth() & 0xffff,
        l.getMaxCallsInFlight() & 0xffffffffL, l.getIdleTimeoutMillis() & 0xffffffffL);
  }

  @Override
  public void close() {
    CompletableFuture<Link> last;
    synchronized (lock) {
      closed = true;
      last = current;
      current = null;
    }
    timer.shutdownNow();
    if (last != null) {
      last.thenAccept(l -> l.client().close());
    }
  }
}

package org.quicproquo.rpc;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One client QUIC connection to an {@link RpcServer}. Each {@link #openStream()} gives an
 * independent {@link RpcConnection} on its own stream, so a bulk transfer on one stream never
 * delays small calls on another. Server pushes go to the builder's {@link EventListener}.
 * Thread-safe; {@link #close()} releases the connection and its I/O thread.
 */
public interface RpcClient extends AutoCloseable {
  /**
   * Opens a new bidirectional stream and fetches the server's bootstrap capability on it.
   *
   * @return completes with the connection, or exceptionally with an {@link RpcException} (for
   *     example {@code overloaded} when the server's stream limit is reached)
   */
  CompletableFuture<RpcConnection> openStream();

  /** The fingerprint of the certificate the server presented (and the trust policy accepted). */
  CertificateFingerprint serverFingerprint();

  /** Completes when the QUIC connection has closed, for whatever reason. */
  CompletableFuture<Void> closeFuture();

  /** Closes the QUIC connection and the I/O thread; calls in flight fail. Idempotent. */
  @Override
  void close();

  /**
   * Starts configuring a connection.
   *
   * @param server the server's UDP address
   * @param trust decides whether the server's certificate is accepted
   */
  static Builder builder(InetSocketAddress server, ServerTrust trust) {
    return new Builder(server, trust);
  }

  /** Configuration of a client connection. Not thread-safe. */
  final class Builder {
    final InetSocketAddress server;
    final ServerTrust trust;
    String serverName;
    RpcLimits limits = RpcLimits.defaults();
    EventListener events = event -> { };
    boolean padding = true;
    FrameListener frameListener = FrameListener.NONE;

    Builder(InetSocketAddress server, ServerTrust trust) {
      this.server = Objects.requireNonNull(server, "server");
      this.trust = Objects.requireNonNull(trust, "trust");
      this.serverName = server.getHostString() + ":" + server.getPort();
    }

    /** The name pins are stored under; default {@code host:port} of the address. */
    public Builder serverName(String name) {
      this.serverName = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The limits applied to everything the server sends; default {@link RpcLimits#defaults()}. */
    public Builder limits(RpcLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Where server pushes go; default: dropped. */
    public Builder events(EventListener listener) {
      this.events = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Whether frames this endpoint sends are padded to size buckets (docs/wire.md section 3,
     * "Padding"); default true. Turn off only to measure what padding costs. Padded frames
     * received are checked either way.
     */
    public Builder padding(boolean pad) {
      this.padding = pad;
      return this;
    }

    /** An observer of every frame's size on the wire (tests, diagnostics); default none. */
    public Builder frameListener(FrameListener listener) {
      this.frameListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Connects (QUIC + TLS 1.3 handshake with ALPN {@value RpcServer#ALPN}).
     *
     * @return completes with the client, or exceptionally with a
     *     {@link FingerprintMismatchException} when the server's certificate does not match its
     *     pin, or an {@link RpcException} ({@link RpcErrors#CONNECT_FAILED}) for any other failure
     */
    public CompletableFuture<RpcClient> connect() {
      return RpcClientImpl.connect(this);
    }
  }
}

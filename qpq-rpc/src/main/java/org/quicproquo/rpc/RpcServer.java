package org.quicproquo.rpc;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * A Cap'n Proto RPC server on QUIC. Every bidirectional stream a client opens is one RPC
 * connection whose bootstrap capability is the one {@link BootstrapFactory} made for the stream's
 * QUIC connection. Start one with {@link #builder}; {@link #close()} stops it and its threads.
 */
public interface RpcServer extends AutoCloseable {
  /** The ALPN protocol id both sides require. */
  String ALPN = "qpq/1";

  /** The bound UDP address (with the actual port when bound to port 0). */
  InetSocketAddress localAddress();

  /** The fingerprint of the server certificate, for clients to pin. */
  CertificateFingerprint fingerprint();

  /** Closes every connection and stops the I/O threads; waits a bounded time. Idempotent. */
  @Override
  void close();

  /** Starts configuring a server. */
  static Builder builder(TlsIdentity identity, BootstrapFactory bootstrap) {
    return new Builder(identity, bootstrap);
  }

  /** Configuration of a server; {@link #start()} binds it. Not thread-safe. */
  final class Builder {
    final TlsIdentity identity;
    final BootstrapFactory bootstrap;
    InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    RpcLimits limits = RpcLimits.defaults();
    Executor executor;
    SecureRandom random;
    Clock clock = Clock.systemUTC();
    LogRedaction redaction = LogRedaction.plain();
    boolean padding = true;
    FrameListener frameListener = FrameListener.NONE;

    Builder(TlsIdentity identity, BootstrapFactory bootstrap) {
      this.identity = Objects.requireNonNull(identity, "identity");
      this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
    }

    /** The UDP address to bind; default loopback with a free port. */
    public Builder bind(InetSocketAddress address) {
      this.bind = Objects.requireNonNull(address, "address");
      return this;
    }

    /** The limits; default {@link RpcLimits#defaults()}. */
    public Builder limits(RpcLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Where {@link Capability#call} runs; default the connection's I/O thread. Give an executor
     * when the capability may block.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The source of the address-validation (Retry token) key; default a new SecureRandom. */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** The clock that dates Retry tokens; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How the RPC layer logs peer addresses and error details; default {@link
     * LogRedaction#plain()}.
     */
    public Builder logRedaction(LogRedaction redaction) {
      this.redaction = Objects.requireNonNull(redaction, "redaction");
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
     * Binds and starts the server.
     *
     * @throws RpcException if the address cannot be bound
     */
    public RpcServer start() {
      return RpcServerImpl.start(this);
    }
  }
}

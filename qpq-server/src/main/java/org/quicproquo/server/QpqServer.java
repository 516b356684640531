package org.quicproquo.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.rpc.CertificateFingerprint;
import org.quicproquo.rpc.RpcServer;
import org.quicproquo.rpc.TlsIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running qpq server: the composition root that wires the data directory, the TLS identity and
 * {@code NodeService} onto the QUIC RPC server. Thread-safe; {@link #close()} stops it.
 */
public final class QpqServer implements AutoCloseable {
  /** The version this build reports in {@code serverInfo}. */
  public static final String VERSION = "0.1.0";

  private static final Logger log = LoggerFactory.getLogger(QpqServer.class);

  private final RpcServer rpc;
  private final DataDirectory data;

  private QpqServer(RpcServer rpc, DataDirectory data) {
    this.rpc = rpc;
    this.data = data;
  }

  /**
   * Opens the data directory (creating the TLS identity on first start) and starts listening.
   *
   * @throws IOException if the data directory or identity cannot be read or written
   * @throws org.quicproquo.rpc.RpcException if the address cannot be bound
   */
  public static QpqServer start(ServerConfig config, SecureRandom random, Clock clock)
      throws IOException {
    DataDirectory data = DataDirectory.open(config.dataDir());
    TlsIdentity identity = data.tlsIdentity(random, clock);
    List<Integer> suites = java.util.Arrays.stream(CipherSuiteId.values())
        .map(CipherSuiteId::code).toList();
    ServerInfo info = new ServerInfo(VERSION, suites, config.limits());
    RpcServer rpc = RpcServer.builder(identity, conn -> new NodeService(info, conn))
        .bind(config.listen())
        .limits(config.limits())
        .start();
    log.info("qpq server {} listening on {} (certificate sha256 {})", VERSION, rpc.localAddress(),
        rpc.fingerprint().hex());
    return new QpqServer(rpc, data);
  }

  /** The bound address (with the real port when started on port 0). */
  public InetSocketAddress address() {
    return rpc.localAddress();
  }

  /** The certificate fingerprint clients pin. */
  public CertificateFingerprint fingerprint() {
    return rpc.fingerprint();
  }

  /** The data directory in use. */
  public java.nio.file.Path dataDir() {
    return data.root();
  }

  @Override
  public void close() {
    rpc.close();
  }
}

package org.quicproquo.server;

import java.util.List;
import org.quicproquo.kt.LogPublicKey;
import org.quicproquo.rpc.RpcLimits;

/**
 * What {@code serverInfo} reports: software version, accepted MLS cipher suites, limits and the
 * key that signs the key-transparency log's tree heads.
 */
record ServerInfo(String version, List<Integer> cipherSuites, RpcLimits limits,
    LogPublicKey ktPublicKey) {
  ServerInfo {
    cipherSuites = List.copyOf(cipherSuites);
  }
}

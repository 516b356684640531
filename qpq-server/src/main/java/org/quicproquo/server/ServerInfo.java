package org.quicproquo.server;

import java.util.List;
import org.quicproquo.rpc.RpcLimits;

/**
 * What {@code serverInfo} reports: software version, accepted MLS cipher suites and limits (the
 * key-transparency log key comes from the log itself, {@code NodeContext.kt()}).
 */
record ServerInfo(String version, List<Integer> cipherSuites, RpcLimits limits) {
  ServerInfo {
    cipherSuites = List.copyOf(cipherSuites);
  }
}

package org.quicproquo.server;

import java.util.List;
import org.quicproquo.rpc.RpcLimits;

/** What {@code serverInfo} reports: software version, accepted MLS cipher suites and limits. */
record ServerInfo(String version, List<Integer> cipherSuites, RpcLimits limits) {
  ServerInfo {
    cipherSuites = List.copyOf(cipherSuites);
  }
}

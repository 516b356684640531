package org.quicproquo.server;

import java.util.concurrent.CompletableFuture;
import org.quicproquo.proto.Qpq;
import org.quicproquo.rpc.CallContext;
import org.quicproquo.rpc.Capability;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.rpc.ServerConnection;

/**
 * The bootstrap capability of one client connection: dispatches {@code NodeService} methods by
 * ordinal. One instance per QUIC connection, because authentication (later issues) is scoped to it.
 */
final class NodeService implements Capability {
  private final ServerInfo info;
  private final ServerConnection connection;

  NodeService(ServerInfo info, ServerConnection connection) {
    this.info = info;
    this.connection = connection;
  }

  @Override
  public CompletableFuture<Void> call(long interfaceId, int methodId, CallContext ctx) {
    if (interfaceId != Qpq.NodeService.TYPE_ID) {
      return Capability.unknownInterface(interfaceId);
    }
    switch (methodId) {
      case Qpq.NodeService.METHOD_SERVER_INFO:
        serverInfo(ctx);
        return CompletableFuture.completedFuture(null);
      default:
        return Capability.unknownMethod(interfaceId, methodId);
    }
  }

  private void serverInfo(CallContext ctx) {
    Qpq.ServerInfo.Builder out =
        ctx.results().initAs(Qpq.NodeService.ServerInfoResults.factory).initInfo();
    out.setVersion(info.version());
    var suites = out.initCipherSuites(info.cipherSuites().size());
    for (int i = 0; i < info.cipherSuites().size(); i++) {
      suites.set(i, info.cipherSuites().get(i).shortValue());
    }
    RpcLimits l = info.limits();
    Qpq.Limits.Builder limits = out.initLimits();
    limits.setMaxMessageBytes(l.maxMessageBytes());
    limits.setMaxTraversalWords(l.traversalLimitWords());
    limits.setMaxNestingDepth((short) Math.min(l.nestingLimit(), 0xffff));
    limits.setMaxCallsInFlight(l.maxCallsInFlight());
    limits.setIdleTimeoutMillis((int) Math.min(l.idleTimeout().toMillis(), 0xffff_ffffL));
  }

  ServerConnection connection() {
    return connection;
  }
}

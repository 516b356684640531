package org.quicproquo.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.capnproto.MessageBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicproquo.proto.Qpq;

/**
 * The generated qpq.capnp classes over this RPC layer: {@code NodeService.serverInfo} answered
 * from the server's {@link RpcLimits}, and an {@code Event} pushed to the client.
 */
@Timeout(60)
class NodeServiceIntegrationTest {
  /** A minimal NodeService: serverInfo only, like the real server's unauthenticated method. */
  private static Capability nodeService(RpcLimits limits, LinkedBlockingQueue<ServerConnection> seen,
      ServerConnection conn) {
    seen.add(conn);
    return (interfaceId, methodId, ctx) -> {
      if (interfaceId != Qpq.NodeService.TYPE_ID) {
        return Capability.unknownInterface(interfaceId);
      }
      if (methodId != Qpq.NodeService.METHOD_SERVER_INFO) {
        return Capability.unknownMethod(interfaceId, methodId);
      }
      ctx.params().getAs(Qpq.NodeService.ServerInfoParams.factory);
      Qpq.ServerInfo.Builder info = ctx.results()
          .initAs(Qpq.NodeService.ServerInfoResults.factory).initInfo();
      info.setVersion("0.1.0-test");
      info.initCipherSuites(1).set(0, (short) 1);
      Qpq.Limits.Builder l = info.initLimits();
      l.setMaxMessageBytes(limits.maxMessageBytes());
      l.setMaxTraversalWords(limits.traversalLimitWords());
      l.setMaxNestingDepth((short) limits.nestingLimit());
      l.setMaxCallsInFlight(limits.maxCallsInFlight());
      l.setIdleTimeoutMillis((int) limits.idleTimeout().toMillis());
      return CompletableFuture.completedFuture(null);
    };
  }

  /** What a client keeps from ServerInfo (copied out while the message is valid). */
  private record Info(String version, int firstSuite, int maxMessageBytes, int maxCalls) {
  }

  @Test
  void serverInfoAndEventPushThroughGeneratedClasses() throws Exception {
    RpcLimits limits = RpcLimits.defaults();
    LinkedBlockingQueue<ServerConnection> connections = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<String> notices = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<Long> counts = new LinkedBlockingQueue<>();
    try (RpcServer server = RpcServer.builder(TestIdentities.fresh(),
        conn -> nodeService(limits, connections, conn)).start();
        RpcClient client = RpcClient.builder(server.localAddress(),
            ServerTrust.pinned(server.fingerprint()))
            .events(e -> {
              Qpq.Event.Reader event = e.getRoot(Qpq.Event.factory);
              switch (event.which()) {
                case NOTICE -> notices.add(event.getNotice().toString());
                case NEW_MESSAGES -> counts.add((long) event.getNewMessages().getCount());
                default -> { }
              }
            }).connect().get(20, TimeUnit.SECONDS)) {
      RpcConnection c = client.openStream().get(20, TimeUnit.SECONDS);
      Info info = c.call(Qpq.NodeService.TYPE_ID, Qpq.NodeService.METHOD_SERVER_INFO,
          p -> p.initAs(Qpq.NodeService.ServerInfoParams.factory),
          r -> {
            Qpq.ServerInfo.Reader i = r.getAs(Qpq.NodeService.ServerInfoResults.factory).getInfo();
            return new Info(i.getVersion().toString(), i.getCipherSuites().get(0),
                i.getLimits().getMaxMessageBytes(), i.getLimits().getMaxCallsInFlight());
          }).get(20, TimeUnit.SECONDS);
      assertThat(info).isEqualTo(new Info("0.1.0-test", 1, limits.maxMessageBytes(),
          limits.maxCallsInFlight()));

      ServerConnection conn = connections.poll(20, TimeUnit.SECONDS);
      MessageBuilder notice = new MessageBuilder();
      notice.initRoot(Qpq.Event.factory).setNotice("maintenance at 03:00");
      conn.push(notice).get(20, TimeUnit.SECONDS);
      MessageBuilder fresh = new MessageBuilder();
      fresh.initRoot(Qpq.Event.factory).initNewMessages().setCount(3);
      conn.push(fresh).get(20, TimeUnit.SECONDS);
      assertThat(notices.poll(20, TimeUnit.SECONDS)).isEqualTo("maintenance at 03:00");
      assertThat(counts.poll(20, TimeUnit.SECONDS)).isEqualTo(3L);
    }
  }
}

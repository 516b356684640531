package org.quicproquo.proto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.capnproto.MessageBuilder;
import org.capnproto.ReaderOptions;
import org.capnproto.Serialize;
import org.junit.jupiter.api.Test;

/** qpq.capnp's generated Java against the capnp tool. */
class QpqTest {
  private static final Path SCHEMAS = CapnpTool.moduleDir().resolve("src/main/capnp");

  private static String decode(MessageBuilder message, String type) throws Exception {
    return new String(CapnpTool.run(SCHEMAS, CapnpTool.write(message, true), "decode", "--packed", "--short",
        "--no-standard-import", "-I.", "qpq.capnp", type), StandardCharsets.UTF_8).trim();
  }

  @Test
  void nodeServiceConstantsDispatchByOrdinal() {
    assertThat(Qpq.FILE_ID).isEqualTo(0xf533980364ccec4dL);
    assertThat(Qpq.NodeService.TYPE_ID).isEqualTo(0xfeefe7e3fa850ab2L);
    assertThat(Qpq.NodeService.METHOD_SERVER_INFO).isEqualTo((short) 0);
    assertThat(Qpq.NodeService.methodName(0)).contains("serverInfo");
    assertThat(Qpq.NodeService.methodName(1)).contains("register");
    assertThat(Qpq.NodeService.methodName(11)).contains("fetchGroupInfo");
    assertThat(Qpq.NodeService.methodName(12)).contains("createBlob");
    assertThat(Qpq.NodeService.methodName(17)).contains("deleteBlob");
    assertThat(Qpq.NodeService.methodName(18)).contains("deleteAccount");
    assertThat(Qpq.NodeService.methodName(19)).contains("registerDevice");
    assertThat(Qpq.NodeService.methodName(24)).contains("joinLink");
    assertThat(Qpq.NodeService.methodName(25)).contains("ktTreeHead");
    assertThat(Qpq.NodeService.methodName(28)).contains("ktKeyHistory");
    assertThat(Qpq.NodeService.methodName(29)).contains("enqueueBatch");
    assertThat(Qpq.NodeService.methodName(30)).isEmpty();
    assertThat(Qpq.NodeService.methodName(-1)).isEmpty();
  }

  @Test
  void serverInfoResultsDecodeWithCapnp() throws Exception {
    MessageBuilder message = new MessageBuilder();
    Qpq.ServerInfo.Builder info = message.initRoot(Qpq.NodeService.ServerInfoResults.factory).initInfo();
    info.setVersion("0.1.0");
    org.capnproto.PrimitiveList.Short.Builder suites = info.initCipherSuites(2);
    suites.set(0, (short) 1);
    suites.set(1, (short) 3);
    Qpq.Limits.Builder limits = info.initLimits();
    limits.setMaxMessageBytes(1 << 20);
    limits.setMaxTraversalWords(8L << 20);
    limits.setMaxNestingDepth((short) 64);
    limits.setMaxCallsInFlight(128);
    limits.setIdleTimeoutMillis(30_000);

    Qpq.NodeService.ServerInfoResults.Reader results = message.getRoot(Qpq.NodeService.ServerInfoResults.factory)
        .asReader();
    assertThat(results.getInfo().getLimits().getMaxNestingDepth()).isEqualTo((short) 64);
    MessageBuilder direct = new MessageBuilder();
    direct.setRoot(Qpq.ServerInfo.factory, info.asReader());
    assertThat(decode(direct, "ServerInfo")).isEqualTo("(version = \"0.1.0\", cipherSuites = [1, 3], "
        + "limits = (maxMessageBytes = 1048576, maxTraversalWords = 8388608, maxNestingDepth = 64, "
        + "maxCallsInFlight = 128, idleTimeoutMillis = 30000))");
  }

  @Test
  void eventEncodedByCapnpReadsInJava() throws Exception {
    byte[] bytes = CapnpTool.run(SCHEMAS, "(newMessages = (count = 3))".getBytes(StandardCharsets.UTF_8), "encode",
        "--no-standard-import", "-I.", "qpq.capnp", "Event");
    Qpq.Event.Reader event = Serialize.read(ByteBuffer.wrap(bytes), ReaderOptions.DEFAULT_READER_OPTIONS)
        .getRoot(Qpq.Event.factory);

    assertThat(event.which()).isEqualTo(Qpq.Event.Which.NEW_MESSAGES);
    assertThat(event.getNewMessages().getCount()).isEqualTo(3);
    assertThat(event.hasNotice()).isFalse();
  }

  @Test
  void noticeEventDecodesWithCapnp() throws Exception {
    MessageBuilder message = new MessageBuilder();
    message.initRoot(Qpq.Event.factory).setNotice("maintenance at 02:00");

    assertThat(decode(message, "Event")).isEqualTo("(notice = \"maintenance at 02:00\")");
  }
}

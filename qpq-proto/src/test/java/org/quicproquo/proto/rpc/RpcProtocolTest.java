package org.quicproquo.proto.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayInputStream;
import org.capnproto.MessageBuilder;
import org.capnproto.MessageReader;
import org.capnproto.ReaderOptions;
import org.capnproto.Serialize;
import org.capnproto.SerializePacked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicproquo.proto.CapnpTool;

class RpcProtocolTest {
  private static final java.nio.file.Path SCHEMAS = CapnpTool.moduleDir().resolve("src/main/capnp");

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void callWrittenInJavaDecodesWithCapnp(boolean packed) throws Exception {
    MessageBuilder message = new MessageBuilder();
    RpcProtocol.Call.Builder call = message.initRoot(RpcProtocol.Message.factory).initCall();
    call.setQuestionId(7);
    call.getTarget().setImportedCap(3);
    call.setInterfaceId(0x1234567890abcdefL);
    call.setMethodId((short) 2);
    call.getSendResultsTo().setYourself();
    call.initParams().initCapTable(1).get(0).setSenderHosted(9);

    String[] args = packed
        ? new String[] {"decode", "--packed", "--short", "--no-standard-import", "-I.", "capnp/rpc.capnp", "Message"}
        : new String[] {"decode", "--short", "--no-standard-import", "-I.", "capnp/rpc.capnp", "Message"};
    String text = new String(CapnpTool.run(SCHEMAS, CapnpTool.write(message, packed), args),
        StandardCharsets.UTF_8).trim();

    assertThat(text).isEqualTo("(call = (questionId = 7, target = (importedCap = 3), "
        + "interfaceId = 1311768467294899695, methodId = 2, params = (capTable = [(senderHosted = 9, attachedFd = 255)]), "
        + "sendResultsTo = (yourself = void), allowThirdPartyTailCall = false))");
  }

  @Test
  void returnEncodedByCapnpReadsInJava() throws Exception {
    byte[] bytes = CapnpTool.run(SCHEMAS, "(return = (answerId = 5, exception = (reason = \"nope\", type = overloaded)))"
        .getBytes(StandardCharsets.UTF_8), "encode", "--no-standard-import", "-I.", "capnp/rpc.capnp", "Message");
    MessageReader reader = Serialize.read(ByteBuffer.wrap(bytes), ReaderOptions.DEFAULT_READER_OPTIONS);
    RpcProtocol.Message.Reader message = reader.getRoot(RpcProtocol.Message.factory);

    assertThat(message.which()).isEqualTo(RpcProtocol.Message.Which.RETURN);
    RpcProtocol.Return.Reader ret = message.getReturn();
    assertThat(ret.getAnswerId()).isEqualTo(5);
    assertThat(ret.getReleaseParamCaps()).isTrue(); // schema default, not on the wire
    assertThat(ret.which()).isEqualTo(RpcProtocol.Return.Which.EXCEPTION);
    assertThat(ret.getException().getReason().toString()).isEqualTo("nope");
    assertThat(ret.getException().getType()).isEqualTo(RpcProtocol.Exception.Type.OVERLOADED);
  }

  @Test
  void defaultsApplyToUnsetFields() throws Exception {
    MessageBuilder message = new MessageBuilder();
    RpcProtocol.CapDescriptor.Builder cap = message.initRoot(RpcProtocol.CapDescriptor.factory);
    assertThat(cap.getAttachedFd()).isEqualTo((byte) 0xff);
    cap.setAttachedFd((byte) 3);
    byte[] packed = CapnpTool.write(message, true);
    MessageReader reader = SerializePacked.readFromUnbuffered(
        Channels.newChannel(new ByteArrayInputStream(packed)), ReaderOptions.DEFAULT_READER_OPTIONS);
    assertThat(reader.getRoot(RpcProtocol.CapDescriptor.factory).getAttachedFd()).isEqualTo((byte) 3);
  }

  @Test
  void interfaceConstantsNameTheTypeId() {
    assertThat(RpcProtocol.FILE_ID).isEqualTo(0xb312981b2552a250L);
  }
}

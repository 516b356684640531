package org.quicproquo.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.capnproto.DataList;
import org.capnproto.MessageBuilder;
import org.capnproto.PrimitiveList;
import org.capnproto.Serialize;
import org.capnproto.StructList;
import org.quicproquo.core.message.AppMessage;
import org.quicproquo.core.message.AppMessageCodec;
import org.quicproquo.core.message.MessageId;
import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.group.CommitResult;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.KeyPackageBundle;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.tree.CredentialType;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.Lifetime;
import org.quicproquo.proto.Qpq;
import org.quicproquo.proto.rpc.RpcProtocol;

/**
 * The seed corpus of every fuzz target: a few valid inputs each, built with the project's own
 * APIs (never copied from the official MLS vectors). Keys are paths relative to
 * {@code src/test/resources/org/quicproquo/fuzz/}, in Jazzer's regression layout
 * {@code <TestClass>Inputs/<method>/<name>}.
 *
 * <p>Deterministic: the MLS seeds come from {@link FuzzGroup}'s seeded world, the others from
 * fixed values, so {@link SeedCorpusTest} can check the committed files byte for byte.
 */
final class SeedCorpus {
  private SeedCorpus() {}

  static Map<String, byte[]> all() throws MlsException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    mls(out);
    capnp(out);
    app(out);
    return out;
  }

  /** Genuine messages for bob's epoch: what {@code GroupProcessFuzzTest} should accept. */
  static Map<String, byte[]> processSeeds() throws MlsException {
    FuzzGroup w = FuzzGroup.get();
    Map<String, byte[]> out = new LinkedHashMap<>();
    out.put("alice-application", w.restore(w.aliceState)
        .encrypt("hello bob".getBytes(UTF_8)).toBytes());
    out.put("carol-application", w.restore(w.carolState)
        .encrypt("hello from carol".getBytes(UTF_8)).toBytes());
    out.put("alice-update-proposal", w.restore(w.aliceState).proposeUpdate().toBytes());
    out.put("alice-remove-proposal", w.restore(w.aliceState)
        .proposeRemove(new LeafIndex(2)).toBytes());
    out.put("alice-commit-path", w.restore(w.aliceState).commit(List.of()).commit().toBytes());
    out.put("carol-commit-add", w.restore(w.carolState)
        .commit(List.of(new Proposal.Add(eve().keyPackage()))).commit().toBytes());
    out.put("alice-commit-remove-carol", w.restore(w.aliceState)
        .commit(List.of(new Proposal.Remove(2))).commit().toBytes());
    return out;
  }

  private static KeyPackageBundle eve() throws MlsException {
    org.quicproquo.mls.crypto.CipherSuite suite = FuzzGroup.freshSuite();
    return Group.generateKeyPackage(suite, new Credential.Basic("eve".getBytes(UTF_8)),
        suite.generateSignatureKeyPair(),
        Group.defaultCapabilities(suite, CredentialType.BASIC), new Lifetime(0, Long.MAX_VALUE));
  }

  private static void mls(Map<String, byte[]> out) throws MlsException {
    FuzzGroup w = FuzzGroup.get();
    Map<String, byte[]> process = processSeeds();
    process.forEach((name, bytes) -> out.put("GroupProcessFuzzTestInputs/process/" + name, bytes));

    byte[] daveKp = MLSMessage.of(w.dave.keyPackage()).toBytes();
    byte[] eveKp = MLSMessage.of(eve().keyPackage()).toBytes();
    byte[] welcome = MLSMessage.of(w.daveWelcome).toBytes();
    byte[] groupInfo = MLSMessage.of(w.restore(w.aliceState).groupInfo()).toBytes();
    String d = "MlsDecodeFuzzTestInputs/";
    out.put(d + "keyPackage/dave", daveKp);
    out.put(d + "keyPackage/eve", eveKp);
    out.put(d + "welcome/dave", welcome);
    out.put(d + "groupInfo/alice-epoch1", groupInfo);
    out.put(d + "ratchetTree/three-members", w.restore(w.bobState).ratchetTree().encode());
    CommitResult withDave = w.restore(w.aliceState)
        .commit(List.of(new Proposal.Add(w.dave.keyPackage())));
    out.put(d + "ratchetTree/four-members-after-path", withDave.groupInfo().extension(
        org.quicproquo.mls.message.ExtensionType.RATCHET_TREE).orElseThrow().extensionData());
    out.put(d + "mlsMessage/public-proposal", process.get("alice-update-proposal"));
    out.put(d + "mlsMessage/public-commit", process.get("carol-commit-add"));
    out.put(d + "mlsMessage/private-application", process.get("alice-application"));
    out.put(d + "mlsMessage/welcome", welcome);
    out.put(d + "mlsMessage/group-info", groupInfo);
    out.put(d + "mlsMessage/key-package", daveKp);
  }

  private static void capnp(Map<String, byte[]> out) {
    String q = "CapnpFuzzTestInputs/qpqStructs/";
    MessageBuilder m = new MessageBuilder();
    m.initRoot(Qpq.Event.factory).setNotice("maintenance at 03:00");
    out.put(q + "event-notice", write(m));
    m = new MessageBuilder();
    m.initRoot(Qpq.Event.factory).initNewMessages().setCount(3);
    out.put(q + "event-new-messages", write(m));
    m = new MessageBuilder(16);
    Qpq.NodeService.ServerInfoResults.Builder info =
        m.initRoot(Qpq.NodeService.ServerInfoResults.factory);
    Qpq.ServerInfo.Builder si = info.initInfo();
    si.setVersion("0.1.0");
    PrimitiveList.Short.Builder suites = si.initCipherSuites(2);
    suites.set(0, (short) 1);
    suites.set(1, (short) 3);
    Qpq.Limits.Builder limits = si.initLimits();
    limits.setMaxMessageBytes(1 << 20);
    limits.setMaxTraversalWords(1 << 17);
    limits.setMaxNestingDepth((short) 32);
    limits.setMaxCallsInFlight(64);
    limits.setIdleTimeoutMillis(30_000);
    out.put(q + "server-info-results-multisegment", write(m));
    m = new MessageBuilder();
    StructList.Builder<Qpq.Envelope.Builder> envs =
        m.initRoot(Qpq.NodeService.FetchResults.factory).initMessages(2);
    for (int i = 0; i < 2; i++) {
      envs.get(i).setSeq(i + 1);
      envs.get(i).setMessageId(new byte[] {1, 2, 3, (byte) i});
      envs.get(i).setPayload(new byte[] {0, 1, 0, 2, 9, 9});
      envs.get(i).setEnqueuedAtMillis(1_700_000_000_000L + i);
    }
    out.put(q + "fetch-results", write(m));
    m = new MessageBuilder();
    Qpq.NodeService.UploadKeyPackagesParams.Builder up =
        m.initRoot(Qpq.NodeService.UploadKeyPackagesParams.factory);
    up.setDeviceId(7);
    DataList.Builder oneTime = up.initOneTime(2);
    oneTime.set(0, new org.capnproto.Data.Reader(new byte[] {0, 1, 0, 5}));
    oneTime.set(1, new org.capnproto.Data.Reader(new byte[] {0, 1, 0, 5, 1}));
    up.setLastResort(new byte[] {0, 1, 0, 5, 2});
    out.put(q + "upload-key-packages-params", write(m));
    m = new MessageBuilder();
    Qpq.NodeService.EnqueueParams.Builder enq = m.initRoot(Qpq.NodeService.EnqueueParams.factory);
    enq.setMessageId(new byte[16]);
    PrimitiveList.Long.Builder rcpt = enq.initRecipients(3);
    for (int i = 0; i < 3; i++) {
      rcpt.set(i, 100 + i);
    }
    enq.setPayload(new byte[] {0, 1, 0, 1});
    enq.setCommit(true);
    out.put(q + "enqueue-params", write(m));

    String r = "CapnpFuzzTestInputs/rpcMessage/";
    m = new MessageBuilder();
    m.initRoot(RpcProtocol.Message.factory).initBootstrap().setQuestionId(0);
    out.put(r + "bootstrap", write(m));
    m = new MessageBuilder();
    RpcProtocol.Call.Builder call = m.initRoot(RpcProtocol.Message.factory).initCall();
    call.setQuestionId(1);
    call.initTarget().setImportedCap(0);
    call.setInterfaceId(Qpq.NodeService.TYPE_ID);
    call.setMethodId(Qpq.NodeService.METHOD_REGISTER);
    Qpq.NodeService.RegisterParams.Builder reg = call.initParams().initContent()
        .initAs(Qpq.NodeService.RegisterParams.factory);
    reg.setName("alice");
    reg.setIdentityKey(new byte[32]);
    reg.setDeviceKey(new byte[32]);
    reg.setDeviceCertificate(new byte[64]);
    out.put(r + "call-register", write(m));
    m = new MessageBuilder(16);
    RpcProtocol.Return.Builder ret = m.initRoot(RpcProtocol.Message.factory).initReturn();
    ret.setAnswerId(1);
    Qpq.NodeService.ResolveUserResults.Builder ru = ret.initResults().initContent()
        .initAs(Qpq.NodeService.ResolveUserResults.factory);
    ru.setIdentityKey(new byte[32]);
    StructList.Builder<Qpq.DeviceEntry.Builder> devs = ru.initDevices(1);
    devs.get(0).setDeviceId(5);
    devs.get(0).setSignatureKey(new byte[32]);
    devs.get(0).setCertificate(new byte[64]);
    out.put(r + "return-resolve-user-multisegment", write(m));
    m = new MessageBuilder();
    RpcProtocol.Return.Builder err = m.initRoot(RpcProtocol.Message.factory).initReturn();
    err.setAnswerId(2);
    RpcProtocol.Exception.Builder ex = err.initException();
    ex.setReason("UNAUTHENTICATED: log in first");
    ex.setType(RpcProtocol.Exception.Type.FAILED);
    out.put(r + "return-exception", write(m));
    m = new MessageBuilder();
    m.initRoot(RpcProtocol.Message.factory).initFinish().setQuestionId(1);
    out.put(r + "finish", write(m));
  }

  private static void app(Map<String, byte[]> out) {
    String a = "AppMessageFuzzTestInputs/decode/";
    MessageId id = new MessageId(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    MessageId other = new MessageId(new byte[16]);
    Instant at = Instant.ofEpochMilli(1_764_000_000_000L);
    out.put(a + "text", AppMessageCodec.encode(new AppMessage.Text(id, at, "hello w\u00f6rld")));
    out.put(a + "reply", AppMessageCodec.encode(new AppMessage.Reply(id, at, other, "yes")));
    out.put(a + "reaction", AppMessageCodec.encode(
        new AppMessage.Reaction(id, at, other, "\uD83D\uDC4D", false)));
    out.put(a + "read-receipt", AppMessageCodec.encode(
        new AppMessage.ReadReceipt(id, at, List.of(other, id))));
    out.put(a + "file-ref", AppMessageCodec.encode(new AppMessage.FileRef(id, at, new byte[16],
        new byte[32], new byte[32], 1234, "a.txt", "text/plain")));
    out.put(a + "unsupported", AppMessageCodec.encode(
        new AppMessage.Unsupported(0x40, new byte[] {1, 2, 3})));
  }

  private static byte[] write(MessageBuilder m) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      Serialize.write(Channels.newChannel(bytes), m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}

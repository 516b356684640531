package org.quicproquo.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.capnproto.Data;
import org.quicproquo.core.identity.AuthTranscripts;
import org.quicproquo.proto.Qpq.NodeService;
import org.quicproquo.rpc.CertificateFingerprint;
import org.quicproquo.rpc.RpcConnection;

/** Builders and readers of {@code NodeService} parameters and results (schema qpq.capnp). */
final class NodeCalls {
  private static final long NODE = NodeService.TYPE_ID;

  private NodeCalls() {
  }

  /** loginChallenge then login on one stream, signing the transcript of docs/wire.md "Login". */
  static CompletableFuture<Void> login(RpcConnection rpc, NodeClient.DeviceLogin who,
      CertificateFingerprint server) {
    return rpc.call(NODE, NodeService.METHOD_LOGIN_CHALLENGE,
            p -> p.initAs(NodeService.LoginChallengeParams.factory).setDeviceId(who.deviceId()),
            r -> r.getAs(NodeService.LoginChallengeResults.factory).getNonce().toArray())
        .thenCompose(nonce -> {
          byte[] signature = who.signer().apply(
              AuthTranscripts.login(nonce, server.sha256(), who.deviceId()));
          return rpc.call(NODE, NodeService.METHOD_LOGIN, p -> {
            NodeService.LoginParams.Builder b = p.initAs(NodeService.LoginParams.factory);
            b.setDeviceId(who.deviceId());
            b.setSignature(signature);
          }, r -> null);
        });
  }

  static List<DeviceKeyPackage> keyPackages(NodeService.FetchKeyPackagesResults.Reader r) {
    var list = r.getKeyPackages();
    List<DeviceKeyPackage> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      var k = list.get(i);
      out.add(new DeviceKeyPackage(k.getDeviceId(), k.getKeyPackage().toArray(), k.getLastResort()));
    }
    return out;
  }

  static ResolvedUser resolved(String name, NodeService.ResolveUserResults.Reader r) {
    var list = r.getDevices();
    List<DeviceEntry> devices = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      var d = list.get(i);
      devices.add(new DeviceEntry(d.getDeviceId(), d.getSignatureKey().toArray(),
          d.getCertificate().toArray()));
    }
    return new ResolvedUser(name, r.getIdentityKey().toArray(), devices);
  }

  static List<Envelope> envelopes(NodeService.FetchResults.Reader r) {
    return envelopes(r.getMessages());
  }

  static List<Envelope> envelopes(
      org.capnproto.StructList.Reader<org.quicproquo.proto.Qpq.Envelope.Reader> list) {
    List<Envelope> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      var e = list.get(i);
      out.add(new Envelope(e.getSeq(), e.getMessageId().toArray(), e.getPayload().toArray(),
          e.getEnqueuedAtMillis()));
    }
    return out;
  }

  static void setData(org.capnproto.DataList.Builder list, List<byte[]> items) {
    for (int i = 0; i < items.size(); i++) {
      list.set(i, new Data.Reader(items.get(i)));
    }
  }
}

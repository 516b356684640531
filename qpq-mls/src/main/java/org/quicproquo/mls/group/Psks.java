package org.quicproquo.mls.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.schedule.PreSharedKeyId;
import org.quicproquo.mls.schedule.PskSecret;

/** Resolves PreSharedKeyIDs to secrets and combines them into psk_secret (RFC 9420 §8.4). */
final class Psks {
  private Psks() {}

  /**
   * psk_secret for {@code ids}: external PSKs from {@code external}, resumption PSKs of this group
   * from {@code state} (null when joining, where no earlier epoch is known).
   */
  static byte[] secret(CipherSuite suite, List<PreSharedKeyId> ids, ExternalPsks external,
      GroupState state) throws MessageRejectedException {
    List<PskSecret.ResolvedPsk> resolved = new ArrayList<>();
    for (PreSharedKeyId id : ids) {
      byte[] psk;
      if (id instanceof PreSharedKeyId.External e) {
        psk = external.find(e.pskId()).orElseThrow(() -> new MessageRejectedException(
            RejectReason.MISSING_PSK, "unknown external PSK"));
      } else {
        PreSharedKeyId.Resumption r = (PreSharedKeyId.Resumption) id;
        if (state == null || !Arrays.equals(r.pskGroupId(), state.groupId())) {
          throw new MessageRejectedException(RejectReason.MISSING_PSK,
              "resumption PSK of another group");
        }
        psk = state.resumptionPsk(r.pskEpoch()).orElseThrow(() -> new MessageRejectedException(
            RejectReason.MISSING_PSK, "no resumption PSK of epoch " + r.pskEpoch()));
      }
      resolved.add(new PskSecret.ResolvedPsk(id, psk));
    }
    return PskSecret.compute(suite, resolved);
  }
}

package org.quicproquo.client;

import java.util.Arrays;

/**
 * What {@code joinLink} returns to a device being linked: the sealed offer, and the sealed reply
 * once the existing device answered (empty until then). Both are opaque here.
 */
public record LinkMailbox(byte[] offer, byte[] reply) {
  public LinkMailbox {
    offer = offer.clone();
    reply = reply.clone();
  }

  @Override
  public byte[] offer() {
    return offer.clone();
  }

  @Override
  public byte[] reply() {
    return reply.clone();
  }

  /** Whether the reply is there. */
  public boolean answered() {
    return reply.length > 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LinkMailbox m && Arrays.equals(offer, m.offer)
        && Arrays.equals(reply, m.reply);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(offer) + Arrays.hashCode(reply);
  }
}

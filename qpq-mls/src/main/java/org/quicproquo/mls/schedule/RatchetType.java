package org.quicproquo.mls.schedule;

/** The two ratchets of each leaf of the secret tree (§9.1): handshake and application content. */
public enum RatchetType {
  HANDSHAKE(ScheduleLabels.HANDSHAKE),
  APPLICATION(ScheduleLabels.APPLICATION);

  private final String label;

  RatchetType(String label) {
    this.label = label;
  }

  /** The ExpandWithLabel label that seeds the ratchet from the leaf's tree secret. */
  String label() {
    return label;
  }
}

package org.quicproquo.client.messenger;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The groups changed while one fetched batch is processed. The whole batch is one local
 * transaction, so only each group's state at its end matters: it is saved once there instead of
 * after every message (a sealed group state is several KiB, encoded and encrypted each time).
 * Outside a batch nothing is deferred. Used on the messenger thread only.
 */
final class GroupSaveBatch {
  private final Set<String> keys = new LinkedHashSet<>();
  private boolean open;

  /** Starts deferring saves. */
  void begin() {
    keys.clear();
    open = true;
  }

  /**
   * Records that the group {@code key} must be saved at the end of the batch.
   *
   * @return false outside a batch: the caller saves now
   */
  boolean defer(String key) {
    if (!open) {
      return false;
    }
    keys.add(key);
    return true;
  }

  /** Stops deferring; returns the groups to save now, in the order they were first changed. */
  List<String> end() {
    open = false;
    List<String> out = new ArrayList<>(keys);
    keys.clear();
    return out;
  }

  /** Stops deferring after a failed batch (its transaction rolled back: nothing to save). */
  void abandon() {
    open = false;
    keys.clear();
  }
}

package org.quicproquo.client.kt;

/** Hears every {@link KtAlert}; called on the thread that found it, so return quickly. */
@FunctionalInterface
public interface KtAlertListener {
  /** A key-transparency check failed. */
  void onAlert(KtAlert alert);
}

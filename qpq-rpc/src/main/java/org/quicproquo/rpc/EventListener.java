package org.quicproquo.rpc;

import org.capnproto.MessageReader;

/**
 * Receives the messages a server pushes (qpq {@code Event}s; read them with
 * {@code event.getRoot(Event.factory)}). Called on the connection's I/O thread, in the order the
 * server sent them: return quickly. An exception thrown here is logged and otherwise ignored.
 */
@FunctionalInterface
public interface EventListener {
  /** One pushed message, already checked against the client's limits. */
  void onEvent(MessageReader event);
}

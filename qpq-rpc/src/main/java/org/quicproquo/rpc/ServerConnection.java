package org.quicproquo.rpc;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.capnproto.MessageBuilder;

/**
 * The server's side of one client QUIC connection. Authentication state belongs to the connection,
 * so the application creates one bootstrap capability per connection (see
 * {@link BootstrapFactory}) and may keep this handle to push events. Thread-safe.
 */
public interface ServerConnection {
  /** A number unique among this server's connections, for logs and maps. */
  long id();

  /** The client's UDP address. */
  InetSocketAddress remoteAddress();

  /**
   * Sends a message (an {@code Event}) on this connection's push stream, a unidirectional stream
   * the server opens on first use. Push is a hint: the future fails (and the event is dropped)
   * when the client does not accept the stream or reads too slowly; it never blocks.
   *
   * @param event the message; serialised before this method returns, so it may be reused after
   */
  CompletableFuture<Void> push(MessageBuilder event);

  /** Completes when the connection has closed, for whatever reason. */
  CompletableFuture<Void> closeFuture();

  /** Closes the connection and every stream on it; calls in flight are answered with nothing. */
  void close();
}

package org.quicproquo.cli;

/** A line typed into {@code qpq chat} that cannot run as typed; the message says how to fix it. */
final class ChatUsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ChatUsageException(String message) {
    super(message);
  }
}

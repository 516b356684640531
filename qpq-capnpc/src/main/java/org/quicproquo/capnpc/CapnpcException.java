package org.quicproquo.capnpc;

/**
 * Root of the code generator's exceptions: a malformed or unsupported {@code CodeGeneratorRequest},
 * or a bad command line. The message names the schema node or option at fault.
 */
public class CapnpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message naming what is wrong. */
  public CapnpcException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the underlying cause. */
  public CapnpcException(String message, Throwable cause) {
    super(message, cause);
  }
}

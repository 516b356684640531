package org.quicproquo.client;

import java.net.InetSocketAddress;

/**
 * A {@code HOST:PORT} address as users type it: {@code example.org:7443}, {@code 127.0.0.1:7443} or
 * {@code [::1]:7443}. The text form is also the name under which a server's certificate is pinned.
 */
public record HostPort(String host, int port) {
  public HostPort {
    if (host == null || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("invalid host: '" + host + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** Parses {@code HOST:PORT}; a missing port is an error unless {@code defaultPort} >= 0. */
  public static HostPort parse(String text, int defaultPort) {
    String t = text.strip();
    String host;
    String port = null;
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' in '" + text + "'");
      }
      host = t.substring(1, close);
      String rest = t.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("expected ':PORT' after ']' in '" + text + "'");
        }
        port = rest.substring(1);
      }
    } else {
      int colon = t.lastIndexOf(':');
      if (colon >= 0 && t.indexOf(':') != colon) {
        throw new IllegalArgumentException("IPv6 addresses need brackets: '[" + t + "]:PORT'");
      }
      host = colon < 0 ? t : t.substring(0, colon);
      port = colon < 0 ? null : t.substring(colon + 1);
    }
    int p;
    if (port == null) {
      if (defaultPort < 0) {
        throw new IllegalArgumentException("missing port in '" + text + "' (expected HOST:PORT)");
      }
      p = defaultPort;
    } else {
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid port '" + port + "' in '" + text + "'");
      }
    }
    return new HostPort(host, p);
  }

  /** Resolves the host name. */
  public InetSocketAddress resolve() {
    InetSocketAddress a = new InetSocketAddress(host, port);
    if (a.isUnresolved()) {
      throw new IllegalArgumentException("cannot resolve host '" + host + "'");
    }
    return a;
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}

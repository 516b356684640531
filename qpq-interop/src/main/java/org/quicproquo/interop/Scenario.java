package org.quicproquo.interop;

import java.util.Objects;

/** One named interop scenario, run once per ciphersuite. */
record Scenario(String name, Body body) {

  Scenario {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(body, "body");
  }

  /** The scenario's steps; returns a short detail (e.g. how many checks held). */
  @FunctionalInterface
  interface Body {
    String run(SuiteRun run) throws Exception;
  }

  /** Thrown by a body when ts-mls documentedly lacks what the scenario needs. */
  static final class Skip extends InteropException {
    private static final long serialVersionUID = 1L;

    Skip(String reason) {
      super(reason);
    }
  }
}

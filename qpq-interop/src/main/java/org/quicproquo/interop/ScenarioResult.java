package org.quicproquo.interop;

import java.util.Objects;

/**
 * The outcome of one scenario on one ciphersuite, printed as
 * {@code PASS|FAIL|SKIP scenario suite=N detail}.
 */
public record ScenarioResult(Status status, String scenario, int suite, String detail) {

  /** PASS: every check held; FAIL: a check or a step failed; SKIP: ts-mls documentedly lacks it. */
  public enum Status { PASS, FAIL, SKIP }

  public ScenarioResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(detail, "detail");
  }

  /** The output line. */
  public String line() {
    return status + " " + scenario + " suite=" + suite + (detail.isEmpty() ? "" : " " + detail);
  }
}

package org.quicproquo.mls.message;

import org.quicproquo.mls.MlsException;

/** The proposals covered by a Commit break a rule of RFC 9420 §12.2 / §12.4.3.2; names the rule. */
public final class ProposalListException extends MlsException {
  private static final long serialVersionUID = 1L;

  private final ProposalListRules.Rule rule;

  public ProposalListException(ProposalListRules.Rule rule, String detail) {
    super(rule.name() + " (RFC 9420 " + rule.section() + "): " + detail);
    this.rule = rule;
  }

  /** The violated rule. */
  public ProposalListRules.Rule rule() {
    return rule;
  }
}

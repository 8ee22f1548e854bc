/**
 * The subscriber that appends audit events of saved records (published after commit) to the chain.
 * No logic here: see SyntheticAuditAppender.
 */
trigger SyntheticAuditCommittedSubscriber on Synthetic_Audit_Committed__e(after insert) {
  SyntheticAuditAppender.append(Trigger.new);
}

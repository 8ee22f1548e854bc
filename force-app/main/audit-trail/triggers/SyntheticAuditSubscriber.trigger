/**
 * The single subscriber that appends audit events to the chain. No logic here: see SyntheticAuditAppender.
 */
trigger SyntheticAuditSubscriber on Synthetic_Audit__e(after insert) {
  SyntheticAuditAppender.append(Trigger.new);
}

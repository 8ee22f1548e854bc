/**
 * Lets only the appender move the chain head pointer. No logic here: see AuditHeadGuard.
 */
trigger SyntheticAuditHeadGuard on Synthetic_Audit_Head__c(
  before insert,
  before update,
  before delete
) {
  AuditHeadGuard.guard(Trigger.isDelete ? Trigger.old : Trigger.new);
}

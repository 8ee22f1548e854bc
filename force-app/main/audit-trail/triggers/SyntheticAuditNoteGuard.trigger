/**
 * Keeps audit notes write-once and erasable only by an erasure request. No logic here: see
 * AuditNoteGuard.
 */
trigger SyntheticAuditNoteGuard on Synthetic_Audit_Note__c(
  before insert,
  before update,
  before delete,
  after undelete
) {
  AuditNoteGuard.guard(Trigger.operationType, Trigger.isDelete ? Trigger.old : Trigger.new);
}

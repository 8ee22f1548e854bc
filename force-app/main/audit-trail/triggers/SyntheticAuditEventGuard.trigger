/**
 * Keeps audit events append-only (and purged events gone). No logic here: see AuditEventGuard.
 */
trigger SyntheticAuditEventGuard on Synthetic_Audit_Event__c(
  before insert,
  before update,
  before delete,
  after undelete
) {
  AuditEventGuard.guard(
    Trigger.operationType,
    Trigger.isDelete ? Trigger.old : Trigger.new,
    Trigger.isUpdate ? (Map<Id, Synthetic_Audit_Event__c>) Trigger.oldMap : null
  );
}

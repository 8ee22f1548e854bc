/**
 * Keeps an AI source request as the package wrote it. No logic here: see AISourceRequestGuard.
 */
trigger AISourceRequestGuard on AI_Source_Request__c(before insert, before update) {
  AISourceRequestGuard.refuseOutsideLedger(Trigger.new, Trigger.oldMap);
}

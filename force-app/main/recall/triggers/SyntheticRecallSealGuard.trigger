/**
 * Keeps a recall as the service wrote it. No logic here: see RecallSealGuard.
 */
trigger SyntheticRecallSealGuard on Synthetic_Recall__c(before insert, before update) {
  RecallSealGuard.refuseOutsideLedger(Trigger.new, Trigger.oldMap);
}

/**
 * Keeps a recall as the service wrote it. No logic here: see RecallSealGuard.
 */
trigger SyntheticRecallSealGuard on Synthetic_Recall__c(before insert, before update) {
  if (Trigger.isInsert) {
    RecallSealGuard.refuseRowsOutsideLedger(Trigger.new);
  } else {
    RecallSealGuard.refuseOutsideLedger(Trigger.new, Trigger.oldMap);
  }
}

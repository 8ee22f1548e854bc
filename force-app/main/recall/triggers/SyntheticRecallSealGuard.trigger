/**
 * Keeps a recall's sealed fields as the service wrote them. No logic here: see RecallSealGuard.
 */
trigger SyntheticRecallSealGuard on Synthetic_Recall__c(before update) {
  RecallSealGuard.refuseOutsideLedger(Trigger.new, Trigger.oldMap);
}

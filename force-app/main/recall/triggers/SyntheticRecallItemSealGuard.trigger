/**
 * Keeps a recall's items (backups and results) as the service wrote them. No logic here: see
 * RecallSealGuard.
 */
trigger SyntheticRecallItemSealGuard on Synthetic_Recall_Item__c(before insert, before update) {
  RecallSealGuard.refuseRowsOutsideLedger(Trigger.new);
}

/**
 * Synthetic Data Guard enforcement for Lead. No logic here: see SyntheticEnforcementHandler.
 */
trigger LeadSyntheticGuard on Lead(
  before insert,
  before update,
  after insert,
  after update,
  after delete,
  after undelete
) {
  SyntheticEnforcementHandler.run();
}

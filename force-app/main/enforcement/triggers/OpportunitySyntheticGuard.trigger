/**
 * Synthetic Data Guard enforcement for Opportunity. No logic here: see SyntheticEnforcementHandler.
 */
trigger OpportunitySyntheticGuard on Opportunity(
  before insert,
  before update,
  after insert,
  after update,
  after delete,
  after undelete
) {
  SyntheticEnforcementHandler.run();
}

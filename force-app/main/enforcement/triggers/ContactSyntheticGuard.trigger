/**
 * Synthetic Data Guard enforcement for Contact. No logic here: see SyntheticEnforcementHandler.
 */
trigger ContactSyntheticGuard on Contact(
  before insert,
  before update,
  after insert,
  after update,
  after delete,
  after undelete
) {
  SyntheticEnforcementHandler.run();
}

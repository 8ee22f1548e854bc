/**
 * Synthetic Data Guard enforcement for Case. No logic here: see SyntheticEnforcementHandler.
 */
trigger CaseSyntheticGuard on Case(
  before insert,
  before update,
  after insert,
  after update,
  after delete,
  after undelete
) {
  SyntheticEnforcementHandler.run();
}

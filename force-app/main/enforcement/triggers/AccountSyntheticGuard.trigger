/**
 * Synthetic Data Guard enforcement for Account. No logic here: see SyntheticEnforcementHandler.
 */
trigger AccountSyntheticGuard on Account(
  before insert,
  before update,
  after insert,
  after update,
  after delete,
  after undelete
) {
  SyntheticEnforcementHandler.run();
}

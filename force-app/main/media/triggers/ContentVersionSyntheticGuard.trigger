/**
 * Synthetic Data Guard for files. No logic here: the policy runs in SyntheticEnforcementHandler,
 * the media scan is queued by MediaScanService.
 */
trigger ContentVersionSyntheticGuard on ContentVersion(
  before insert,
  before update,
  after insert,
  after update
) {
  SyntheticEnforcementHandler.run();
  MediaScanService.run();
}

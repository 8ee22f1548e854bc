/**
 * Synthetic Data Guard enforcement for Account. No logic here: see SyntheticEnforcementHandler.
 * Only Account has before delete: its delete cascades to Contacts, Opportunities and Cases,
 * whose own delete triggers do not run then.
 */
trigger AccountSyntheticGuard on Account(
  before insert,
  before delete,
  before update,
  after insert,
  after update,
  after delete,
  after undelete
) {
  SyntheticEnforcementHandler.run();
}

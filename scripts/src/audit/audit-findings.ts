import type { ChainReport } from '../audit-chain/chain-verifier';
import { policyFor } from '../policy/package-policy';
import type { GovernedObject } from '../provenance-model/schema';
import type { AuditOptions } from './export-auditor';
import type { Finding, Severity } from './findings';
import type { Tally } from './record-audit';
import { SOURCE_APPROVAL_CONTROL, sourceApprovalSpec } from './source-approval-control';

/**
 * The findings of an audit: the text, severity and reproducing query of each control's tally,
 * and the chain's (SDG-08).
 */

export const SEVERITY_RANK: Record<Severity, number> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
  info: 4
};

const PROVENANCE_SELECT =
  'Id, Synthetic_Data__c, Synthetic_Status__c, AI_Model__c, Generated_At__c, Generation_Method__c, Provenance_Source__c, Synthetic_Confidence__c, Synthetic_Reasons__c';

/** A finding per control and object tallied, and the chain's (SDG-08) when it was verified. */
export function buildFindings(
  tallies: Map<string, Tally>,
  chain: ChainReport | null,
  options: AuditOptions,
  untrustedModels: Map<string, Map<string, number>>,
  oldestQuarantine: number | null,
  unapprovedSources: Map<string, Map<string, number>>
): Finding[] {
  const findings: Finding[] = [];
  for (const [key, t] of tallies) {
    const [control = '', object = ''] = key.split('|');
    const policy = policyFor(options.policy, object);
    const spec = FINDING_SPECS[control]?.(
      object as GovernedObject,
      policy.requiredFields,
      options,
      (control === SOURCE_APPROVAL_CONTROL.id ? unapprovedSources : untrustedModels).get(object) ??
        new Map<string, number>(),
      oldestQuarantine
    );
    if (spec) findings.push({ control, object, count: t.count, recordIds: t.ids, ...spec });
  }
  if (chain) {
    const eventsQuery =
      'SELECT Sequence__c, Previous_Hash__c, Occurred_At__c, Event_Type__c, Record_Id__c, Object_Type__c, Acting_User__c, Decision__c, Reason_Codes__c, Event_Key__c, Payload__c, Hash__c, Signature__c FROM Synthetic_Audit_Event__c ORDER BY Sequence__c';
    if (!chain.intact && chain.firstBreak) {
      findings.push({
        control: 'SDG-08',
        severity: 'critical',
        title: `Audit chain broken at event ${chain.firstBreak.sequence} (${chain.firstBreak.kind})`,
        object: 'Synthetic_Audit_Event__c',
        count: 1,
        recordIds: [],
        query: eventsQuery,
        detail: chain.firstBreak.detail
      });
    } else if (chain.checkpoints.valid === 0) {
      findings.push({
        control: 'SDG-08',
        severity: 'medium',
        title: 'Audit chain intact but no checkpoint signature was verified',
        object: 'Synthetic_Audit_Event__c',
        count: chain.checkpoints.total,
        recordIds: [],
        query: eventsQuery,
        detail:
          'Configure a signing certificate (Synthetic Audit Settings) and pass its public certificate to the audit, or anchor the head.'
      });
    }
  }
  return findings;
}

/** Report order: most severe first, then by control and object. */
export function bySeverity(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    a.control.localeCompare(b.control) ||
    (a.object ?? '').localeCompare(b.object ?? '')
  );
}

type Spec = Pick<Finding, 'severity' | 'title' | 'query' | 'detail'>;
const FINDING_SPECS: Record<
  string,
  (
    object: GovernedObject,
    required: string[],
    options: AuditOptions,
    models: Map<string, number>,
    oldest: number | null
  ) => Spec
> = {
  'SDG-01': (object, required) => ({
    severity: 'high',
    title: `Synthetic ${object} records missing required provenance`,
    query: `SELECT ${PROVENANCE_SELECT} FROM ${object} WHERE Synthetic_Data__c = true AND (${required.map((f) => `${f} = null`).join(' OR ') || 'Id = null'})`,
    detail: `The ${object} policy requires ${required.join(', ') || 'no field'} on synthetic records.`
  }),
  'SDG-02': (object) => ({
    severity: 'medium',
    title: `${object} records whose stored status differs from what the policy decides now`,
    query: `SELECT ${PROVENANCE_SELECT} FROM ${object} WHERE Synthetic_Data__c = true OR Synthetic_Status__c != null`,
    detail:
      'Records classified under an older policy, or loaded while enforcement was bypassed. Run SyntheticBackfillBatch to re-classify them.'
  }),
  'SDG-03': (object) => ({
    severity: 'high',
    title: `${object} records with undisclosed AI signals`,
    query: `SELECT ${PROVENANCE_SELECT} FROM ${object} WHERE Synthetic_Data__c = false AND (AI_Model__c != null OR Generation_Method__c IN ('trainedAlgorithmicMedia','compositeWithTrainedAlgorithmicMedia','algorithmicMedia','compositeSynthetic'))`,
    detail: 'They name an AI model or an AI generation method but are not marked synthetic.'
  }),
  'SDG-04': (object, _required, _options, models) => ({
    severity: 'high',
    title: `Synthetic ${object} records from untrusted or unknown models`,
    query: `SELECT ${PROVENANCE_SELECT} FROM ${object} WHERE Synthetic_Data__c = true AND AI_Model__c != null`,
    detail: `Most frequent: ${[...models]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([m, n]) => `${m} (${n})`)
      .join(', ')}. Register trusted models in Trusted AI Sources.`
  }),
  'SDG-05': (object, _required, options, _models, oldest) => ({
    severity: (oldest ?? 0) > options.slaDays * 2 ? 'high' : 'medium',
    title: `Quarantined ${object} records waiting longer than the ${options.slaDays}-day review SLA`,
    query: `SELECT ${PROVENANCE_SELECT}, CreatedDate FROM ${object} WHERE Synthetic_Status__c = 'Quarantined' AND CreatedDate < LAST_N_DAYS:${options.slaDays} ORDER BY CreatedDate`,
    detail: `Oldest quarantined record: ${oldest === null ? 'n/a' : Math.round(oldest)} days.`
  }),
  'SDG-06': (object) => ({
    severity: 'medium',
    title: `Synthetic ${object} records that sync jobs must hold back`,
    query: `SELECT ${PROVENANCE_SELECT} FROM ${object} WHERE Synthetic_Data__c = true AND Synthetic_Status__c NOT IN ('Quarantined','Rejected')`,
    detail: `The ${object} policy does not allow synthetic records in sync: every integration must call SyntheticDataFilter (or its Flow action) before sending these.`
  }),
  'SDG-07': (object) => ({
    severity: 'medium',
    title: `${object} records whose synthetic flag differs from their account's`,
    query: `SELECT Id, AccountId, Synthetic_Data__c, Account.Synthetic_Data__c FROM ${object} WHERE AccountId != null`,
    detail:
      'Mixed lineage: authentic and synthetic records share one account, so pipeline and service reports mix them. Report on the Synthetic report types to separate them.'
  }),
  [SOURCE_APPROVAL_CONTROL.id]: (object, _required, options, values) =>
    sourceApprovalSpec(object, options.policy.trustedSources, options.now, values),
  'SDG-09': (object) => ({
    severity: 'high',
    title: `${object} records without any audit event`,
    query: `SELECT Id FROM ${object} WHERE Id NOT IN (SELECT Record_Id__c FROM Synthetic_Audit_Event__c)`,
    detail:
      'Records that entered while the package was not installed, or whose events are missing. Run SyntheticBackfillBatch; investigate if they are recent.'
  })
};

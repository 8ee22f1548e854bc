import { policyFor, PolicySet } from '../policy/package-policy';
import { GovernedObject, PROVENANCE_FIELDS } from '../provenance-model/schema';
import { OBJECT_ORDER } from '../seed/export-layout';
import { CONTROLS, Finding, NotRun } from './findings';

const P = PROVENANCE_FIELDS;

/**
 * The columns each record control reads, per object: without one of them the control cannot
 * tell a pass from a gap, so it is not run on that object (never counted as passed).
 */
function columnsNeeded(control: string, object: GovernedObject, policy: PolicySet): string[][] {
  switch (control) {
    case 'SDG-01':
      return [[P.syntheticData, ...policyFor(policy, object).requiredFields]];
    case 'SDG-02':
      return [[P.syntheticData, P.syntheticStatus]];
    case 'SDG-03':
      // Either AI signal column is enough to look for undisclosed AI.
      return [
        [P.syntheticData, P.aiModel],
        [P.syntheticData, P.generationMethod]
      ];
    case 'SDG-04':
      return [[P.syntheticData, P.aiModel]];
    case 'SDG-05':
      return [[P.syntheticStatus, 'CreatedDate']];
    case 'SDG-06':
      return [[P.syntheticData, P.syntheticStatus]];
    case 'SDG-07':
      return object === 'Account' || object === 'Lead' ? [] : [[P.syntheticData, 'AccountId']];
    case 'SDG-15':
      // Either origin column is enough to look for unapproved sources.
      return [[P.aiModel], [P.provenanceSource]];
    default:
      return [];
  }
}

const RECORD_CONTROLS = [
  'SDG-01',
  'SDG-02',
  'SDG-03',
  'SDG-04',
  'SDG-05',
  'SDG-06',
  'SDG-07',
  'SDG-15'
];
const EVENT_CONTROLS = ['SDG-08', 'SDG-09', 'SDG-11'];
const titleOf = (id: string) => CONTROLS.find((c) => c.id === id)?.title ?? id;

/** What the audit had to work with. */
export interface AuditInputs {
  objects: GovernedObject[];
  columns: Map<GovernedObject, Set<string>>;
  policy: PolicySet;
  /** The audit-event file: read with events, present but empty, or missing. */
  events: 'read' | 'empty' | 'missing';
  allowMissing: string[];
}

function allowed(allowMissing: string[], ...names: string[]): boolean {
  const set = new Set(allowMissing.map((n) => n.toLowerCase()));
  return names.some((n) => set.has(n.toLowerCase()));
}

/**
 * Every control the export gave no input for, per object, and controls that ran on no object at
 * all (object null). `--allow-missing events` accepts a missing event file, an object name its
 * missing file, `provenance` missing provenance columns (the pre-install audit).
 */
export function controlGaps(inputs: AuditInputs): NotRun[] {
  const gaps: NotRun[] = [];
  const present = OBJECT_ORDER.filter((o) => inputs.objects.includes(o) || inputs.columns.has(o));
  for (const control of RECORD_CONTROLS) {
    let ranOn = 0;
    for (const object of present) {
      const columns = inputs.columns.get(object) ?? new Set<string>();
      const alternatives = columnsNeeded(control, object, inputs.policy);
      if (!alternatives.length) continue;
      const missing = alternatives.map((need) => need.filter((c) => !columns.has(c)));
      if (missing.some((m) => m.length === 0)) {
        ranOn++;
        continue;
      }
      gaps.push({
        control,
        title: titleOf(control),
        object,
        reason: `${object} has no ${missing[0]!.join(', ')} column`,
        allowed: allowed(inputs.allowMissing, 'provenance', object)
      });
    }
    if (ranOn === 0) {
      const perObject = gaps.filter((g) => g.control === control);
      gaps.push({
        control,
        title: titleOf(control),
        object: null,
        reason: present.length
          ? 'no object in the export has the columns it reads'
          : 'the export holds no governed records',
        allowed: perObject.length > 0 && perObject.every((g) => g.allowed)
      });
    }
  }
  if (inputs.events !== 'read') {
    const reason =
      inputs.events === 'missing'
        ? 'the export has no Synthetic_Audit_Event__c file'
        : 'the Synthetic_Audit_Event__c file holds no events';
    for (const control of EVENT_CONTROLS)
      gaps.push({
        control,
        title: titleOf(control),
        object: null,
        reason,
        allowed: allowed(inputs.allowMissing, 'events')
      });
  }
  return gaps;
}

/**
 * Events naming records of an object the export has no file for: the audit covers fewer
 * records than the chain says exist, which is a finding unless `--allow-missing` names it.
 */
export function missingObjectFindings(
  eventObjects: Map<string, number>,
  present: Set<string>,
  allowMissing: string[]
): Finding[] {
  const findings: Finding[] = [];
  for (const object of OBJECT_ORDER) {
    const count = eventObjects.get(object) ?? 0;
    if (count === 0 || present.has(object)) continue;
    const accepted = allowed(allowMissing, object);
    findings.push({
      control: 'SDG-11',
      severity: accepted ? 'info' : 'high',
      title: `No ${object} file, but the audit chain holds ${count} ${object} event(s)`,
      object,
      count,
      recordIds: [],
      query: `SELECT Id, ${Object.values(P).join(', ')}, CreatedDate FROM ${object}`,
      detail: accepted
        ? `Accepted with --allow-missing ${object}: the ${object} records were not audited.`
        : `The export is incomplete: export ${object} with the other objects (sdg audit --queries prints the query), or accept the gap with --allow-missing ${object}.`
    });
  }
  return findings;
}

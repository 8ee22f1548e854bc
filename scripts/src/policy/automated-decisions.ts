import fs from 'node:fs';
import path from 'node:path';
import { testStaticResources } from '../project-root';

/** `Synthetic_Policy__mdt.Automated_Decisions__c` values, least to most restrictive. */
export const AUTOMATED_DECISION_SETTINGS = [
  'Allow_All',
  'Exclude_Quarantined',
  'Exclude_Flagged_And_Quarantined',
  'Exclude_All_Synthetic'
] as const;
export type AutomatedDecisionSetting = (typeof AUTOMATED_DECISION_SETTINGS)[number];

/** What a blank or unknown setting means: records with an unresolved doubt never feed decisions. */
export const DEFAULT_AUTOMATED_DECISIONS: AutomatedDecisionSetting =
  'Exclude_Flagged_And_Quarantined';

/** Why a record may, or may not, feed automated decisions (the invocable action's reason codes). */
export type AutomatedDecisionReason =
  | 'NOT_SYNTHETIC'
  | 'POLICY_ALLOWS'
  | 'NOT_GOVERNED'
  | 'REJECTED'
  | 'QUARANTINED'
  | 'FLAGGED'
  | 'SYNTHETIC'
  | 'RECORD_NOT_FOUND'
  | 'NO_ACCESS';

const ALLOWED: ReadonlySet<AutomatedDecisionReason> = new Set([
  'NOT_SYNTHETIC',
  'POLICY_ALLOWS',
  'NOT_GOVERNED'
]);

/** The record fields eligibility reads, keyed by API name as Salesforce returns them. */
export interface DecisionRecord {
  Synthetic_Data__c?: boolean | string | null;
  Synthetic_Status__c?: string | null;
}

/** A reason code and whether it lets the record feed automated decisions. */
export interface DecisionEligibility {
  reason: AutomatedDecisionReason;
  allowed: boolean;
}

/** The setting, blank or unknown read as the default (values are case-sensitive, like the picklist). */
export function normaliseSetting(setting: string | null | undefined): AutomatedDecisionSetting {
  const trimmed = (setting ?? '').trim();
  return (AUTOMATED_DECISION_SETTINGS as readonly string[]).includes(trimmed)
    ? (trimmed as AutomatedDecisionSetting)
    : DEFAULT_AUTOMATED_DECISIONS;
}

function heldBackState(record: DecisionRecord): AutomatedDecisionReason | null {
  switch (record.Synthetic_Status__c ?? '') {
    case 'Rejected':
      return 'REJECTED';
    case 'Quarantined':
      return 'QUARANTINED';
    case 'Flagged':
      return 'FLAGGED';
    default:
      return String(record.Synthetic_Data__c).toLowerCase() === 'true' ? 'SYNTHETIC' : null;
  }
}

function excludes(level: AutomatedDecisionSetting, held: AutomatedDecisionReason): boolean {
  if (level === 'Allow_All') return false;
  if (held === 'REJECTED' || held === 'QUARANTINED') return true;
  if (held === 'FLAGGED') return level !== 'Exclude_Quarantined';
  return level === 'Exclude_All_Synthetic';
}

/** Whether a reason code lets the record feed automated decisions. */
export function allows(reason: AutomatedDecisionReason): boolean {
  return ALLOWED.has(reason);
}

/**
 * Whether one record may feed automated decisions under its object's setting. Pure; the Apex twin
 * is `AutomatedDecisionPolicy` and `AutomatedDecisionVectors.json` holds both to the same answers.
 * The most serious state is named first (Rejected, Quarantined, Flagged, synthetic).
 */
export function decisionEligibility(
  setting: string | null | undefined,
  record: DecisionRecord
): DecisionEligibility {
  const held = heldBackState(record);
  const reason: AutomatedDecisionReason =
    held === null
      ? 'NOT_SYNTHETIC'
      : excludes(normaliseSetting(setting), held)
        ? held
        : 'POLICY_ALLOWS';
  return { reason, allowed: allows(reason) };
}

/** One shared vector: a setting, a record, the answer both engines must give. */
export interface AutomatedDecisionVector {
  name: string;
  setting: string | null;
  record: DecisionRecord;
  expected: DecisionEligibility;
}

/** Where the vectors live: a static resource, so the Apex test reads the very same file. */
export const AUTOMATED_DECISION_VECTORS_PATH = path.join(
  testStaticResources('policy'),
  'AutomatedDecisionVectors.json'
);

/** Reads the shared automated-decision vectors. */
export function loadAutomatedDecisionVectors(file = AUTOMATED_DECISION_VECTORS_PATH): {
  description: string;
  vectors: AutomatedDecisionVector[];
} {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as {
    description: string;
    vectors: AutomatedDecisionVector[];
  };
}

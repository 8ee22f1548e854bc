/**
 * One alert, as every channel's payload is built from it (Apex twin: `SyntheticAlert`). The
 * dedupe key names what the alert is about, so a repeat inside the rule's window raises the
 * count instead of paging again, and a resolve reaches the same incident.
 */
export interface Alert {
  /** The rule's DeveloperName. */
  rule: string;
  /** The rule's label, for people. */
  ruleLabel: string;
  severity: Severity;
  /** `trigger` opens or updates the incident; `resolve` closes it (a threshold that cleared). */
  action: 'trigger' | 'resolve';
  summary: string;
  dedupKey: string;
  /** The org (its Id, or the alias or folder offline). */
  org: string;
  objectType: string | null;
  recordIds: string[];
  reasonCodes: string[];
  count: number;
  firstSeen: string;
  lastSeen: string;
  playbookUrl: string | null;
  recordUrl: string | null;
}

import { Severity, severityOf } from '../audit/findings';

// One severity scale for audit, monitor and alerts (docs/cli.md, "Severity"); the older alert
// words are read as aliases (error → high, warning → medium).
export { atLeast, SEVERITIES, severityOf } from '../audit/findings';
export type { Severity } from '../audit/findings';

/**
 * The words the org and the channels use: the `Severity__c` picklists of the alert objects and
 * PagerDuty Events API v2's `payload.severity` take exactly critical, error, warning, info, and
 * the Apex payload builders write them, so every payload carries these (one mapping, here).
 */
export const WIRE_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type WireSeverity = (typeof WIRE_SEVERITIES)[number];
const TO_WIRE: Record<Severity, WireSeverity> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'warning',
  info: 'info'
};

/** The channel/org word for a severity given in either vocabulary (unknown text: warning). */
export function wireSeverity(severity: string): WireSeverity {
  return TO_WIRE[severityOf(severity) ?? 'medium'];
}

/** Cuts text to `max` characters, marking the cut with an ellipsis (both engines the same way). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The alert `sdg alerts test` sends: a quarantined deepfake, as a real one would read. */
export function sampleAlert(now: string): Alert {
  return {
    rule: 'Deepfake_Quarantined',
    ruleLabel: 'Deepfake media quarantined (test alert)',
    severity: 'critical',
    action: 'trigger',
    summary:
      'TEST from sdg alerts test: Lead 00Q000000000001AAA quarantined; its photo carries a C2PA manifest saying trainedAlgorithmicMedia.',
    dedupKey: `sdg-test:${now}`,
    org: 'sdg alerts test',
    objectType: 'Lead',
    recordIds: ['00Q000000000001AAA'],
    reasonCodes: ['MEDIA_AI_MARKER', 'HIGH_CONFIDENCE'],
    count: 1,
    firstSeen: now,
    lastSeen: now,
    playbookUrl: null,
    recordUrl: null
  };
}

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

/** Severities, most severe first (PagerDuty's four). */
export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Whether `severity` is at least as severe as `floor`. */
export function atLeast(severity: Severity, floor: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(floor);
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

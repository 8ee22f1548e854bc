/** Finding severities, most severe first: one scale for audit, monitor and alerts. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Older words for the same levels (monitor and alerts said error and warning). */
export const SEVERITY_ALIASES: Record<string, Severity> = { error: 'high', warning: 'medium' };

/** A severity from the command line, old words accepted; null when it is none. */
export function severityOf(text: string): Severity | null {
  const lower = text.trim().toLowerCase();
  if ((SEVERITIES as readonly string[]).includes(lower)) return lower as Severity;
  return SEVERITY_ALIASES[lower] ?? null;
}

/** Whether `severity` is at least as severe as `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

/** One control the audit checks; every control appears in every report, passed or failed. */
export interface Control {
  id: string;
  title: string;
}

/** A failed control, on one object (or the whole org). */
export interface Finding {
  control: string;
  severity: Severity;
  title: string;
  object: string | null;
  count: number;
  /** Up to 50 record ids, enough to start an investigation. */
  recordIds: string[];
  /** SOQL that reproduces the finding in the org. */
  query: string;
  detail: string;
}

/** A control the audit could not run (no input for it), on one object or the whole export. */
export interface NotRun {
  control: string;
  title: string;
  object: string | null;
  reason: string;
  /** Accepted with --allow-missing: shown, but not counted by --fail-on. */
  allowed: boolean;
}

/** The severity a control that could not run counts as for --fail-on. */
export const NOT_RUN_SEVERITY: Severity = 'high';

/** The controls, in report order. */
export const CONTROLS: readonly Control[] = [
  { id: 'SDG-01', title: 'Synthetic records carry the provenance their policy requires' },
  { id: 'SDG-02', title: 'Stored status matches what the policy decides now (no drift)' },
  { id: 'SDG-03', title: 'No undisclosed AI signals' },
  { id: 'SDG-04', title: 'Synthetic records come from trusted models' },
  { id: 'SDG-05', title: 'Quarantine backlog within the review SLA' },
  { id: 'SDG-06', title: 'Synthetic records that policy keeps out of sync are identified' },
  { id: 'SDG-07', title: 'No mixed lineage between accounts and their records' },
  { id: 'SDG-08', title: 'Audit chain verifies' },
  { id: 'SDG-09', title: 'Every record has an audit event' },
  { id: 'SDG-11', title: 'The export holds every object its audit chain names' },
  { id: 'SDG-15', title: 'Records come from approved, unexpired AI models and sources' }
];

/** Most record ids a finding lists. */
export const MAX_IDS = 50;

/** `Synthetic_Policy__mdt.Retention_Action__c` values: what happens to an expired synthetic record. */
export const RETENTION_ACTIONS = ['Quarantine', 'Delete'] as const;
export type RetentionActionSetting = (typeof RETENTION_ACTIONS)[number];

/** The retention part of an object's policy. */
export interface RetentionConfig {
  /** Days a synthetic record may stay after it entered the org (blank: no limit). */
  syntheticRetentionDays: number | null;
  /** What happens at expiry (default Quarantine: a person decides). */
  retentionAction?: RetentionActionSetting | null;
  /** Days a rejected record is kept for evidence before it is deleted (blank: kept). */
  rejectedRetentionDays: number | null;
}

/** The fields retention reads, keyed by API name as Salesforce returns them. */
export interface RetentionRecord {
  Synthetic_Data__c?: boolean | string | null;
  Synthetic_Status__c?: string | null;
  /** ISO 8601 date-time. */
  CreatedDate?: string | null;
  Synthetic_Reviewed_At__c?: string | null;
}

/** What the retention job does to one record: nothing (null), quarantine it, or delete it. */
export type RetentionOutcome = 'QUARANTINE' | 'DELETE' | null;

const DAY_MS = 24 * 60 * 60 * 1000;

function time(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}

/**
 * What retention does to one record at `now`. Pure; the Apex twin is `RetentionPolicy` and the
 * `retention` vectors in `ProvenancePolicyVectors.json` hold both to the same answers.
 * - A rejected record older than the rejected retention (from its review, else its creation) is deleted.
 * - A synthetic record older than the synthetic retention (from its creation) is deleted, or
 *   quarantined for review; a record already quarantined or rejected, or one a reviewer decided
 *   after it expired, is left alone so the nightly job does not undo a person's decision.
 */
export function retentionOutcome(
  config: RetentionConfig,
  record: RetentionRecord,
  now: string
): RetentionOutcome {
  const at = Date.parse(now);
  const created = time(record.CreatedDate);
  const reviewed = time(record.Synthetic_Reviewed_At__c);
  const status = (record.Synthetic_Status__c ?? '').trim();
  if (created === null) return null;
  if (status === 'Rejected' && config.rejectedRetentionDays !== null) {
    const since = reviewed ?? created;
    if (at - since >= config.rejectedRetentionDays * DAY_MS) return 'DELETE';
  }
  const synthetic = String(record.Synthetic_Data__c).toLowerCase() === 'true';
  if (!synthetic || config.syntheticRetentionDays === null) return null;
  const expiry = created + config.syntheticRetentionDays * DAY_MS;
  if (at < expiry) return null;
  if ((config.retentionAction ?? 'Quarantine') === 'Delete') return 'DELETE';
  if (status === 'Quarantined' || status === 'Rejected') return null;
  if (reviewed !== null && reviewed >= expiry) return null;
  return 'QUARANTINE';
}

/**
 * Whether what the package keeps beside a record (a recall item's backup, a detector's evidence
 * URL) has expired: written at least the object's synthetic retention ago. No synthetic retention
 * keeps it. Apex twin: `RetentionPolicy.sideDataExpired`; the shared vectors
 * `SideDataRetentionVectors.json` hold both to the same answers.
 */
export function sideDataExpired(
  config: Pick<RetentionConfig, 'syntheticRetentionDays'>,
  written: string | null,
  now: string
): boolean {
  const at = time(written);
  if (config.syntheticRetentionDays === null || at === null) return false;
  return Date.parse(now) - at >= config.syntheticRetentionDays * DAY_MS;
}

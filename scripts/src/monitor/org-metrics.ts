import { ChainVerifier } from '../audit-chain/chain-verifier';
import type { AuditSource } from '../audit/audit-source';
import { field } from '../audit/record-reader';
import { SpillJoin } from '../audit/spill-join';
import {
  EntrySource,
  eventEntry,
  fieldEntry,
  keepStatusEntry,
  statusEntryValue
} from '../audit/status-entry';
import { policyFor, PolicySet } from '../policy/package-policy';
import { PROVENANCE_FIELDS } from '../provenance-model/schema';
import { OBJECT_ORDER } from '../seed/export-layout';

/** One org's (or export's) health, as `sdg monitor --json` prints it. */
export interface OrgMetrics {
  /** The alias or the folder, as given. */
  org: string;
  records: number;
  byStatus: Record<string, number>;
  synthetic: number;
  /** Synthetic records over all records (null for an empty org). */
  syntheticShare: number | null;
  /** Synthetic records with every provenance field the policy requires, over synthetic records. */
  disclosureRate: number | null;
  quarantineBacklog: number;
  oldestQuarantineDays: number | null;
  /** Where quarantine entry times came from (audit events, else the export's date fields), as audit says. */
  quarantineAgeSources: Partial<Record<EntrySource, number>>;
  /** Synthetic_Alert__c records Open or Acknowledged (null: an export, or an org without the alert object). */
  openAlerts: number | null;
  chain: { intact: boolean; events: number; head: string | null } | null;
}

const DAY_MS = 86_400_000;
const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/**
 * Reads one source once, streaming: counts by status, synthetic share, disclosure compliance by
 * the policy's required fields, the quarantine backlog and its oldest record, and the audit
 * chain's verdict. Memory does not grow with the number of records.
 */
export async function measure(
  org: string,
  source: AuditSource,
  policy: PolicySet,
  now: string
): Promise<OrgMetrics> {
  const at = Date.parse(now);
  const metrics: OrgMetrics = {
    org,
    records: 0,
    byStatus: {},
    synthetic: 0,
    syntheticShare: null,
    disclosureRate: null,
    quarantineBacklog: 0,
    oldestQuarantineDays: null,
    quarantineAgeSources: {},
    openAlerts: null,
    chain: null
  };
  let disclosed = 0;
  let oldest: number | null = null;
  // Events first: the review SLA runs from the event that set a record's status (audit's rule).
  const entries = new SpillJoin('status-entry', undefined, 256, keepStatusEntry);
  const events = source.events();
  if (events) {
    const verifier = new ChainVerifier({});
    for await (const event of events) {
      verifier.push(event);
      if (event.recordId) entries.add(event.recordId, statusEntryValue(event));
    }
    const report = verifier.finish();
    metrics.chain = { intact: report.intact, events: report.events, head: report.head };
  }
  const onEntry = (payload: string, _found: boolean, value: string) => {
    const tab = payload.indexOf('\t');
    const fromEvents = eventEntry(value, 'Quarantined');
    const source = (fromEvents === null ? payload.slice(0, tab) : 'audit events') as EntrySource;
    const entered = Date.parse(fromEvents ?? payload.slice(tab + 1));
    if (Number.isNaN(entered)) return;
    metrics.quarantineAgeSources[source] = (metrics.quarantineAgeSources[source] ?? 0) + 1;
    if (oldest === null || entered < oldest) oldest = entered;
  };
  for (const object of OBJECT_ORDER) {
    const rows = source.records(object);
    if (!rows) continue;
    const required = policyFor(policy, object).requiredFields;
    for await (const row of rows) {
      metrics.records++;
      const status = field(row, PROVENANCE_FIELDS.syntheticStatus) || 'None';
      metrics.byStatus[status] = (metrics.byStatus[status] ?? 0) + 1;
      if (field(row, PROVENANCE_FIELDS.syntheticData).toLowerCase() === 'true') {
        metrics.synthetic++;
        if (required.every((f) => field(row, f).trim() !== '')) disclosed++;
      }
      if (status === 'Quarantined') {
        metrics.quarantineBacklog++;
        const fallback = fieldEntry(row, field(row, PROVENANCE_FIELDS.syntheticReasons));
        entries.probe(
          field(row, 'Id') || row.key || '',
          `${fallback?.source ?? ''}\t${fallback?.at ?? ''}`,
          onEntry
        );
      }
    }
  }
  entries.finish(onEntry);
  if (metrics.records) metrics.syntheticShare = round(metrics.synthetic / metrics.records, 4);
  if (metrics.synthetic) metrics.disclosureRate = round(disclosed / metrics.synthetic, 4);
  if (oldest !== null) metrics.oldestQuarantineDays = round(Math.max(0, at - oldest) / DAY_MS, 1);
  return metrics;
}

/** Alert statuses that are not resolved yet (Synthetic_Alert__c.Status__c). */
export const OPEN_ALERT_STATUSES = ['Open', 'Acknowledged'] as const;

/** The SOQL that counts an org's open alerts. */
export const OPEN_ALERTS_SOQL = `SELECT COUNT() FROM Synthetic_Alert__c WHERE Status__c IN (${OPEN_ALERT_STATUSES.map((s) => `'${s}'`).join(', ')})`;

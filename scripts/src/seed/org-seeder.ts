import { stringify } from 'csv-stringify/sync';
import fs from 'node:fs';
import path from 'node:path';
import type { Progress } from '../cli/progress';
import { provenanceHash } from '../enforcement/provenance-hash';
import { OrgConnectError } from '../org/org-connection';
import { SalesforceApi, TRANSIENT_ERRORS, UpsertRecord, WriteResult } from '../org/salesforce-api';
import { policyFor, PolicySet } from '../policy/package-policy';
import { decide, ProvenanceValues } from '../policy/provenance-policy';
import { TrustedSourceRegistry } from '../policy/trusted-source-registry';
import { AUDIT_EVENT, GovernedObject, PROVENANCE_FIELDS } from '../provenance-model/schema';
import { CONTENT_FIELDS, OBJECT_ORDER } from './export-layout';
import { generateSeed, SeededRecord, seedKey, SeedOptions } from './seed-generator';

/** The external-id field every seeded record is upserted by. */
export const EXTERNAL_ID = PROVENANCE_FIELDS.sourceRecordId;
/** Records Salesforce runs through one trigger invocation (one transaction for the guard). */
const TRANSACTION_SIZE = 200;
/** Records per Bulk API 2.0 ingest job (well under its 150 MB upload limit). */
const BULK_JOB_SIZE = 50_000;
/** Most records `seed --target-org` loads: past this, generate with --out and use Data Loader. */
export const ORG_SEED_MAX = 200_000;

/** Provenance a loader sends: the source's claims; the triggers decide status and reasons. */
const CLAIM_FIELDS = [
  PROVENANCE_FIELDS.syntheticData,
  PROVENANCE_FIELDS.aiModel,
  PROVENANCE_FIELDS.generatedAt,
  PROVENANCE_FIELDS.generationMethod,
  PROVENANCE_FIELDS.provenanceSource,
  PROVENANCE_FIELDS.syntheticConfidence
] as const;

const PARENT_FIELDS: Record<string, string> = {
  AccountId: `Account.${EXTERNAL_ID}`,
  ContactId: `Contact.${EXTERNAL_ID}`
};

/** Columns sent for an object: content (parents by external id) and claims. */
export function uploadColumns(object: GovernedObject): string[] {
  return [...CONTENT_FIELDS[object].map((f) => PARENT_FIELDS[f] ?? f), ...CLAIM_FIELDS];
}

/** What is sent for one generated record. */
export function toUpsert(record: SeededRecord, seed: number): UpsertRecord {
  const fields: UpsertRecord['fields'] = {};
  for (const name of CONTENT_FIELDS[record.object]) {
    const value = record.fields[name] ?? null;
    if (PARENT_FIELDS[name])
      fields[PARENT_FIELDS[name]] = value === null ? null : seedKey(seed, String(value));
    else fields[name] = value;
  }
  for (const name of CLAIM_FIELDS) fields[name] = record.claimed[name] ?? null;
  return { key: String(record.fields[EXTERNAL_ID]), fields };
}

/** Expected count of records per status: a range where the bulk guard depends on batching. */
export interface StatusCheck {
  object: string;
  status: string;
  min: number;
  max: number;
  actual: number;
  ok: boolean;
}

/** One record the org did not take. */
export interface SeedFailure {
  object: string;
  key: string;
  errorCode: string;
  message: string;
  expected: 'rejected by policy' | 'parent rejected by policy' | 'unexpected';
  attempts: number;
}

/** What `sdg seed --target-org` reports (`--json`). */
export interface OrgSeedSummary {
  org: string;
  seed: number;
  api: 'Composite' | 'Bulk API 2.0';
  sent: Record<string, number>;
  created: number;
  updated: number;
  rejectedByPolicy: number;
  failed: number;
  failuresFile: string | null;
  statusCheck: StatusCheck[];
  triggersActed: boolean;
  /**
   * The audit chain after the seed: its event count, and whether it stopped growing (the
   * events are appended asynchronously by a platform-event subscriber).
   */
  chain: { events: number; settled: boolean };
}

export interface OrgSeedOptions {
  seed: SeedOptions;
  bulkThreshold: number;
  reportDir: string;
  progress: Progress;
  /** How the seeder waits for the audit chain to settle; tests shorten it. */
  settle?: ChainSettle;
}

/** Polls the chain's event count every `intervalMs` until it stops changing or `timeoutMs`. */
export interface ChainSettle {
  intervalMs: number;
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
}

/** Every 5 s for up to 3 minutes, sleeping as the API client sleeps between retries. */
export const DEFAULT_SETTLE = { intervalMs: 5_000, timeoutMs: 180_000 };

/**
 * Waits until the audit chain stops growing: the platform-event subscriber appends the seed's
 * events after the writes return, so an audit run at once would see a chain still being built.
 */
export async function waitForChain(
  api: SalesforceApi,
  settle: ChainSettle = { ...DEFAULT_SETTLE, sleep: api.retry.sleep }
): Promise<{ events: number; settled: boolean }> {
  const count = () => api.count(`SELECT COUNT() FROM ${AUDIT_EVENT.name}`);
  let events = await count();
  for (let waited = 0; waited < settle.timeoutMs; waited += settle.intervalMs) {
    await settle.sleep(settle.intervalMs);
    const now = await count();
    if (now === events) return { events, settled: true };
    events = now;
  }
  return { events, settled: false };
}

const NOT_STORED = '(not stored)';

interface Expectation {
  strict: string;
  loose: string;
}

/** Expected outcome per record, as the triggers decide it in transactions of 200. */
function expectations(
  object: GovernedObject,
  records: SeededRecord[],
  policySet: PolicySet,
  now: string
): Expectation[] {
  const policy = policyFor(policySet, object);
  const registry = new TrustedSourceRegistry(policySet.trustedSources);
  let seen = 0;
  return records.map((record, i) => {
    if (i % TRANSACTION_SIZE === 0) seen = 0;
    const content = Object.fromEntries(
      CONTENT_FIELDS[object].map((f) => [f, record.fields[f] ?? null])
    );
    const values: ProvenanceValues = {
      ...record.claimed,
      Provenance_Hash__c: provenanceHash(content),
      Synthetic_Status__c: null
    };
    const outcome = (syntheticSeenBefore: number) => {
      const d = decide({
        policy,
        record: values,
        context: { now, canReview: false, syntheticSeenBefore },
        registry
      });
      return { label: d.decision === 'REJECT' ? 'REJECT' : (d.status ?? '(blank)'), d };
    };
    const strict = outcome(seen);
    if (strict.d.synthetic) seen++;
    return { strict: strict.label, loose: outcome(0).label };
  });
}

/**
 * Loads generated data into an org by upsert on `Source_Record_Id__c` (re-running with the same
 * seed updates, never duplicates): Composite sObject Collections in 200s, or Bulk API 2.0 ingest
 * jobs past `bulkThreshold` records; row locks and request limits are retried per record.
 * Then it proves the triggers acted: per object and status, the org's counts must match what
 * the policy engine predicts with the org's own policy.
 */
export async function seedOrg(
  api: SalesforceApi,
  policy: PolicySet,
  options: OrgSeedOptions
): Promise<OrgSeedSummary> {
  const byObject = new Map<GovernedObject, SeededRecord[]>(OBJECT_ORDER.map((o) => [o, []]));
  for (const item of generateSeed(options.seed, policy))
    if (item.kind !== 'event') byObject.get(item.record.object)!.push(item.record);
  const total = [...byObject.values()].reduce((n, r) => n + r.length, 0);
  const api2 = total > options.bulkThreshold ? 'Bulk API 2.0' : 'Composite';
  const now = new Date().toISOString();
  const summary: OrgSeedSummary = {
    org: api.session.org,
    seed: options.seed.seed,
    api: api2,
    sent: {},
    created: 0,
    updated: 0,
    rejectedByPolicy: 0,
    failed: 0,
    failuresFile: null,
    statusCheck: [],
    triggersActed: false,
    chain: { events: 0, settled: false }
  };
  const failures: SeedFailure[] = [];
  const rejectedKeys = new Set<string>();
  const expected = new Map<GovernedObject, Expectation[]>();
  options.progress.start(`Seeding ${api.session.org}`, total);
  for (const object of OBJECT_ORDER) {
    const records = byObject.get(object)!;
    if (!records.length) continue;
    summary.sent[object] = records.length;
    const wanted = expectations(object, records, policy, now);
    expected.set(object, wanted);
    const upserts = records.map((r) => toUpsert(r, options.seed.seed));
    const results = await upsertWithRetries(api, object, upserts, api2, options);
    results.forEach(({ result, attempts }, i) => {
      if (result.success) {
        if (result.created) summary.created++;
        else summary.updated++;
        return;
      }
      const policyRejected =
        result.errorCode === 'FIELD_CUSTOM_VALIDATION_EXCEPTION' &&
        (wanted[i]!.strict === 'REJECT' || wanted[i]!.loose === 'REJECT');
      // A child whose account or contact the policy rejected cannot find its parent.
      const orphan = Object.values(PARENT_FIELDS).some((f) =>
        rejectedKeys.has(String(upserts[i]!.fields[f]))
      );
      if (policyRejected) rejectedKeys.add(result.key);
      // What the org did not store is not expected in its counts (failures are reported above).
      wanted[i] = { strict: NOT_STORED, loose: NOT_STORED };
      if (policyRejected || orphan) summary.rejectedByPolicy++;
      else summary.failed++;
      failures.push({
        object,
        key: result.key,
        errorCode: result.errorCode ?? 'UNKNOWN',
        message: result.message ?? '',
        expected: policyRejected
          ? 'rejected by policy'
          : orphan
            ? 'parent rejected by policy'
            : 'unexpected',
        attempts
      });
    });
  }
  options.progress.stop();
  if (failures.length) {
    fs.mkdirSync(options.reportDir, { recursive: true });
    summary.failuresFile = path.join(
      options.reportDir,
      `seed-failures-${api.session.org.replace(/[^\w.-]/g, '_')}.csv`
    );
    fs.writeFileSync(
      summary.failuresFile,
      stringify(failures, {
        header: true,
        columns: ['object', 'key', 'errorCode', 'message', 'expected', 'attempts']
      })
    );
  }
  summary.statusCheck = await checkStatuses(api, options.seed.seed, expected);
  summary.triggersActed = summary.statusCheck.every((c) => c.ok);
  summary.chain = await waitForChain(api, options.settle);
  return summary;
}

/** Upserts records, re-sending the ones that failed for transient reasons. */
async function upsertWithRetries(
  api: SalesforceApi,
  object: GovernedObject,
  records: UpsertRecord[],
  via: OrgSeedSummary['api'],
  options: OrgSeedOptions
): Promise<{ result: WriteResult; attempts: number }[]> {
  const { attempts, baseDelayMs, sleep } = api.retry;
  const outcome: { result: WriteResult; attempts: number }[] = records.map((r) => ({
    result: {
      key: r.key,
      id: null,
      created: false,
      success: false,
      errorCode: 'UNPROCESSED',
      message: 'not sent'
    },
    attempts: 0
  }));
  let pending = records.map((_, i) => i);
  for (let attempt = 1; attempt <= attempts && pending.length; attempt++) {
    if (attempt > 1) await sleep(baseDelayMs * 2 ** (attempt - 2));
    const size = via === 'Composite' ? TRANSACTION_SIZE : BULK_JOB_SIZE;
    for (let start = 0; start < pending.length; start += size) {
      const batch = pending.slice(start, start + size);
      const sent = batch.map((i) => records[i]!);
      const results =
        via === 'Composite'
          ? await api.upsertCollection(object, EXTERNAL_ID, sent)
          : await api.bulkUpsert(object, EXTERNAL_ID, uploadColumns(object), sent);
      results.forEach((result, j) => {
        outcome[batch[j]!] = { result, attempts: attempt };
      });
      if (attempt === 1) options.progress.tick(batch.length);
    }
    pending = pending.filter((i) => {
      const r = outcome[i]!.result;
      return !r.success && TRANSIENT_ERRORS.has(r.errorCode ?? '');
    });
  }
  return outcome;
}

/** Compares the org's counts by status with the predicted ranges. */
async function checkStatuses(
  api: SalesforceApi,
  seed: number,
  expected: Map<GovernedObject, Expectation[]>
): Promise<StatusCheck[]> {
  const checks: StatusCheck[] = [];
  for (const [object, wanted] of expected) {
    const range = new Map<string, { min: number; max: number }>();
    const at = (status: string) => {
      let r = range.get(status);
      if (!r) range.set(status, (r = { min: 0, max: 0 }));
      return r;
    };
    for (const w of wanted) {
      if (w.strict === w.loose) {
        at(w.strict).min++;
        at(w.strict).max++;
      } else {
        at(w.strict).max++;
        at(w.loose).max++;
      }
    }
    range.delete('REJECT');
    range.delete(NOT_STORED);
    const actual = new Map<string, number>();
    for await (const row of api.query(
      `SELECT ${PROVENANCE_FIELDS.syntheticStatus}, COUNT(Id) FROM ${object} WHERE ${EXTERNAL_ID} LIKE '${seedKey(seed, '')}%' GROUP BY ${PROVENANCE_FIELDS.syntheticStatus}`
    ))
      actual.set(
        row.fields[PROVENANCE_FIELDS.syntheticStatus] || '(blank)',
        Number(row.fields.expr0)
      );
    for (const status of new Set([...range.keys(), ...actual.keys()])) {
      const r = range.get(status) ?? { min: 0, max: 0 };
      const n = actual.get(status) ?? 0;
      checks.push({ object, status, ...r, actual: n, ok: n >= r.min && n <= r.max });
    }
  }
  return checks;
}

/** Fails early when the org has no policy records (package not deployed or not readable). */
export function requirePolicy(policy: PolicySet, org: string): PolicySet {
  if (Object.keys(policy.policies).length === 0)
    throw new OrgConnectError(
      `${org} has no Synthetic_Policy__mdt records. Deploy the package first: sdg deploy --target-org ${org}`
    );
  return policy;
}

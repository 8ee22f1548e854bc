import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../cli/errors';
import { policyFor, PolicySet } from '../policy/package-policy';
import { retentionOutcome } from '../policy/retention-policy';
import {
  classifiedExportFiles,
  ExportFile,
  exportRecords,
  hasField,
  parentFieldsOf,
  referenceKey
} from './recall-export';
import { detach } from './raw-csv';
import { checkExportReadable, inputDigests } from './recall-inputs';
import { RecallSource, withRecallSource } from './recall-source';
import { fieldsNeeded, matches, objectsOf, RecallSelector, soqlFor } from './recall-selector';

/** What a recall does to the records it selects. */
export const RECALL_ACTIONS = ['quarantine', 'delete', 'restore'] as const;
export type RecallAction = (typeof RECALL_ACTIONS)[number];
/** What a plan does: a recall action, a retention run (quarantine or delete per record), an undo. */
export type PlanAction = RecallAction | 'retention' | 'undo';

/** The plan file's format tag: apply refuses anything else. */
export const PLAN_FORMAT = 'sdg-recall-plan/1';

/** Where a plan's records are. */
export type PlanSource =
  | {
      kind: 'export';
      path: string;
      format: 'csv' | 'tree';
      /**
       * Set when the export is a Data Export zip (`zip`) or the folder holding every zip of a
       * Data Export set (`zip-set`), read in place (absent: a folder).
       */
      container?: 'zip' | 'zip-set';
    }
  | { kind: 'org'; org: string };

/** A recall plan (`plan.json`): what would change, exactly, and a digest that seals it. */
export interface RecallPlan {
  format: typeof PLAN_FORMAT;
  recallId: string;
  action: PlanAction;
  selector: RecallSelector | null;
  source: PlanSource;
  createdAt: string;
  /** The SOQL that selects the records in an org, per object. */
  soql: Record<string, string>;
  counts: Record<string, number>;
  total: number;
  /** Record keys (Ids) per object, in file order. */
  records: Record<string, string[]>;
  /** Children a delete takes with their parents, per object (included in records and counts). */
  cascaded: Record<string, number>;
  /** Retention runs: the records deleted rather than quarantined, per object. */
  deletes?: Record<string, string[]>;
  /** Files the plan touches (export plans). */
  files?: ExportFile[];
  /** Every file of the export planned on, with its size and SHA-256: apply refuses another export. */
  inputs?: Record<string, { size: number; sha256: string }>;
  /** Retention runs: the reference time. */
  now?: string;
  /** Undo plans: the recall undone. */
  undoes?: string;
  /** SHA-256 of the plan without this field (canonical JSON). */
  digest: string;
}

/** What `sdg recall plan --json` prints. */
export interface PlanSummary {
  recallId: string;
  action: PlanAction;
  selector: RecallSelector | null;
  counts: Record<string, number>;
  total: number;
  digest: string;
  out: string;
}

/** Canonical JSON: keys sorted at every level, so the digest does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** The digest of a plan: SHA-256 of its canonical JSON without the digest. */
export function planDigest(plan: Omit<RecallPlan, 'digest'> & { digest?: string }): string {
  return createHash('sha256')
    .update(canonicalJson({ ...plan, digest: undefined }))
    .digest('hex');
}

/** Seals a plan: fills its recall id (given, or from content and time) and digest. */
export function seal(plan: Omit<RecallPlan, 'digest' | 'recallId'>, recallId?: string): RecallPlan {
  const content = createHash('sha256').update(canonicalJson(plan)).digest('hex');
  const stamp = plan.createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const withId = { ...plan, recallId: recallId ?? `rc-${stamp}-${content.slice(0, 8)}` };
  return { ...withId, digest: planDigest(withId) };
}

/** Options of an export plan. */
export interface ExportPlanOptions {
  action: RecallAction | 'retention';
  selector: RecallSelector | null;
  /** Retention runs: the policy and the reference time. */
  policy?: PolicySet;
  now: string;
  /** `--object FILE=Object`: the object of a file its name and Ids do not say (as `sdg audit`). */
  fileObjects?: string[];
  /** The governed objects, when the export's policy adds some to the five. */
  governed?: readonly string[];
}

/**
 * Plans a recall on an export folder or a Data Export zip (read in place), streaming every file
 * once: memory holds the selected keys (which the plan lists) and, for deletes, the keys of
 * deleted parents.
 */
export async function planFromExport(dir: string, options: ExportPlanOptions): Promise<RecallPlan> {
  const { format, files } = await classifiedExportFiles(dir, options.fileObjects, options.governed);
  return withRecallSource(dir, (source) => planOnSource(source, format, files, options));
}

async function planOnSource(
  source: RecallSource,
  format: 'csv' | 'tree',
  files: ExportFile[],
  options: ExportPlanOptions
): Promise<RecallPlan> {
  // The audit's strict reader first: a file audit refuses is never planned on.
  await checkExportReadable(source, files);
  const inputs = await inputDigests(source);
  const selector = options.selector;
  const objects = new Set<string>(
    selector ? objectsOf(selector, options.governed) : files.map((f) => f.object)
  );
  const chosen = files.filter((f) => objects.has(f.object));
  if (selector && format === 'csv')
    for (const file of chosen)
      for (const field of fieldsNeeded(selector))
        if (!(await hasField(source, file, field)))
          throw new UsageError(
            `${source.where(file.rel)} has no ${field} column, which the selector needs. Export it with every provenance field.`
          );
  const records: Record<string, string[]> = {};
  const cascaded: Record<string, number> = {};
  const deletes: Record<string, string[]> = {};
  const deleted = new Set<string>();
  const cascades = options.action === 'delete' || options.action === 'retention';
  const scanned = cascades ? files : chosen;
  for (const file of scanned) {
    const parents = parentFieldsOf(file.object);
    const policy = options.policy ? policyFor(options.policy, file.object) : null;
    for await (const record of exportRecords(source, file)) {
      let take: 'quarantine' | 'delete' | null = null;
      if (!record.key) continue;
      if (options.action === 'retention') {
        const outcome = policy ? retentionOutcome(policy, fieldsOf(record), options.now) : null;
        take = outcome === 'DELETE' ? 'delete' : outcome === 'QUARANTINE' ? 'quarantine' : null;
      } else if (objects.has(file.object) && selector && matches(selector, file.object, record.get))
        take = options.action === 'delete' ? 'delete' : 'quarantine';
      const orphan =
        cascades && parents.some((field) => deleted.has(referenceKey(record.get(field))));
      if (orphan && take !== 'delete') {
        cascaded[file.object] = (cascaded[file.object] ?? 0) + 1;
        take = 'delete';
      }
      if (!take) continue;
      const key = detach(record.key);
      (records[file.object] ??= []).push(key);
      if (take === 'delete') {
        deleted.add(key);
        if (options.action === 'retention') (deletes[file.object] ??= []).push(key);
      }
    }
  }
  const counts = Object.fromEntries(Object.entries(records).map(([o, ids]) => [o, ids.length]));
  const touched = new Set(Object.keys(records));
  return seal({
    format: PLAN_FORMAT,
    action: options.action,
    selector,
    source: {
      kind: 'export',
      path: source.path,
      format,
      ...(source.kind === 'zip' ? { container: 'zip' as const } : {}),
      ...(source.kind === 'set' ? { container: 'zip-set' as const } : {})
    },
    createdAt: options.now,
    soql: Object.fromEntries(
      [...objects].map((o) => [o, selector ? soqlFor(selector, o) : retentionSoql(o)])
    ),
    counts,
    total: Object.values(counts).reduce((a, b) => a + b, 0),
    records,
    cascaded,
    ...(options.action === 'retention' ? { deletes, now: options.now } : {}),
    files: files.filter((f) => touched.has(f.object)),
    inputs
  });
}

/** The query that reads what retention decides on, for one object. */
export function retentionSoql(object: string): string {
  return `SELECT Id, Synthetic_Data__c, Synthetic_Status__c, CreatedDate, Synthetic_Reviewed_At__c FROM ${object} WHERE Synthetic_Data__c = true OR Synthetic_Status__c = 'Rejected' ORDER BY Id`;
}

function fieldsOf(record: { get(field: string): string }) {
  return {
    Synthetic_Data__c: record.get('Synthetic_Data__c'),
    Synthetic_Status__c: record.get('Synthetic_Status__c'),
    CreatedDate: record.get('CreatedDate'),
    Synthetic_Reviewed_At__c: record.get('Synthetic_Reviewed_At__c')
  };
}

/** Writes a plan file. */
export function writePlan(file: string, plan: RecallPlan): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(plan, null, 2)}\n`);
}

/** Reads a plan and checks it is whole: a wrong format or digest is a usage error, nothing applied. */
export function readPlan(file: string): RecallPlan {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile())
    throw new UsageError(
      `${file}: no such plan file. Make one with sdg recall plan … --out ${file}.`
    );
  let plan: RecallPlan;
  try {
    plan = JSON.parse(fs.readFileSync(file, 'utf8')) as RecallPlan;
  } catch (error) {
    throw new UsageError(`${file}: not a plan (invalid JSON: ${(error as Error).message}).`);
  }
  if (!plan || typeof plan !== 'object' || plan.format !== PLAN_FORMAT)
    throw new UsageError(`${file}: not a recall plan (format is not "${PLAN_FORMAT}").`);
  if (typeof plan.digest !== 'string' || planDigest(plan) !== plan.digest)
    throw new UsageError(
      `${file}: the plan's digest does not match its content; it was changed after planning. Plan again.`
    );
  return plan;
}

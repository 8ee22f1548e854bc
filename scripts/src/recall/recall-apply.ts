import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { makeFolder, replaceFolder } from '../cli/paths';
import { StringDecoder } from 'node:string_decoder';
import { UsageError } from '../cli/errors';
import { mergeReasons, ReasonCode } from '../policy/reason-codes';
import { PROVENANCE_FIELDS } from '../provenance-model/schema';
import { ExportFile, listFiles, RECALLS_DIR, sourceInput } from './recall-export';
import {
  cannotRestoreMessage,
  History,
  historyFiles,
  Lookups,
  readHistory,
  restoration
} from './recall-history';
import { PlanAction, RecallPlan } from './recall-plan';
import { BufferedWriter, FileJob, rewriteFile } from './recall-rewrite';
import { checkInputs } from './recall-inputs';
import { StandardFields } from '../ingestion/standard-fields';
import { RecallSource, withRecallSource } from './recall-source';

/** What `sdg recall apply --json` prints. */
export interface ApplySummary {
  recallId: string;
  applied: number;
  failed: number;
  skipped: number;
  /** The backup folder. */
  backup: string;
  /** The folder of Bulk API 2.0 CSVs that make the same change in an org. */
  changes: string;
  /** This run finished an interrupted one. */
  resumed: boolean;
}

/** One record's outcome (a line of results.json `records`). */
export interface RecordResult {
  object: string;
  id: string;
  action: PlanAction;
  result: 'applied' | 'failed' | 'skipped';
  message?: string;
}

/** How an export record changes: fields to set, or removal. */
export type Change = { set: Map<string, string> } | { remove: true } | { fail: string } | null;

interface Checkpoint {
  digest: string;
  files: Record<string, 'staged' | 'done'>;
}

/** Options of an offline apply. */
export interface ApplyOptions {
  to: string;
  /** Test hook: stop (as a crash would) after this many files. */
  interruptAfterFiles?: number;
  /** Write into a destination that already holds files (they are replaced). */
  force?: boolean;
}

/**
 * The folder an apply writes into before it becomes the destination: beside it (same file
 * system, so the final rename is atomic), named after the recall so a crashed apply resumes.
 */
export function stagingFolder(to: string, recallId: string): string {
  const target = path.resolve(to);
  return path.join(path.dirname(target), `.${path.basename(target)}.recall-${recallId}`);
}

function isEmptyFolder(dir: string): boolean {
  return fs.readdirSync(dir).length === 0;
}

/** Checks the destination can be written: a folder (or nothing), empty unless --force or in place. */
function checkDestination(to: string, from: string, force: boolean, packed: boolean): void {
  // A set's folder holds the zips as they came: rewriting it in place would replace them.
  if (packed && path.resolve(to) === path.resolve(from))
    throw new UsageError(
      `--to ${to} is the folder of the Data Export zips the plan was made on; give a new folder for the changed export (the zips stay as they are).`
    );
  if (!fs.existsSync(to)) return;
  if (!fs.statSync(to).isDirectory())
    throw new UsageError(
      `--to ${to} is a file; give a folder (new or empty) for the changed export.`
    );
  if (path.resolve(to) === path.resolve(from) || force || isEmptyFolder(to)) return;
  throw new UsageError(
    `--to ${to} already holds files; give a new or empty folder, or add --force to replace its content.`
  );
}

/** The recall folder of a plan inside an export folder. */
export function recallFolder(dir: string, recallId: string): string {
  return path.join(dir, RECALLS_DIR, recallId);
}

function atomicWrite(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

/** Copies what the plan does not change; zip entries are inflated one at a time into files. */
async function copyUnplanned(
  source: RecallSource,
  to: string,
  planned: Set<string>
): Promise<void> {
  const from = source.path;
  if (from === path.resolve(to)) return;
  for (const rel of source.kind === 'folder' ? listFiles(from) : source.files) {
    if (planned.has(rel)) continue;
    const target = path.join(to, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (source.kind === 'folder') fs.copyFileSync(path.join(from, rel), target);
    else await pipeline(await source.open(rel), fs.createWriteStream(target));
  }
  const recalls = path.join(from, RECALLS_DIR);
  if (source.kind === 'folder' && fs.existsSync(recalls))
    fs.cpSync(recalls, path.join(to, RECALLS_DIR), { recursive: true });
}

/** The change a plan's action makes to one record; a quarantine adds `reason` to the stored ones. */
export function changeFor(
  action: PlanAction,
  get: (field: string) => string,
  reason: ReasonCode,
  restore?: () => Change
): Change {
  if (action === 'delete') return { remove: true };
  if (action === 'restore') return restore ? restore() : { fail: 'no field history' };
  const status = get(PROVENANCE_FIELDS.syntheticStatus);
  const stored = get(PROVENANCE_FIELDS.syntheticReasons);
  const reasons = mergeReasons(stored, [reason]);
  if (status === 'Quarantined' && reasons === stored) return null;
  return {
    set: new Map([
      [PROVENANCE_FIELDS.syntheticStatus, 'Quarantined'],
      [PROVENANCE_FIELDS.syntheticReasons, reasons]
    ])
  };
}

/**
 * Applies an export plan: copies the export to `to` (or rewrites a folder in place) with the
 * plan's changes, after backing up every affected record in full. A Data Export zip is read in
 * place and `to` becomes an export folder (the zip's files, changed where planned). Each file is
 * written to a temporary name and renamed; a checkpoint records finished files, so an
 * interrupted apply resumes where it stopped and never applies a change twice.
 */
export async function applyToExport(
  plan: RecallPlan,
  options: ApplyOptions
): Promise<ApplySummary> {
  if (plan.source.kind !== 'export' || !plan.files)
    throw new UsageError(`The plan ${plan.recallId} is for an org; apply it without --to.`);
  const from = plan.source.path;
  if (!fs.existsSync(from))
    throw new UsageError(`${from}: the export the plan was made from is gone; plan again.`);
  const done = path.join(recallFolder(options.to, plan.recallId), 'results.json');
  if (fs.existsSync(done)) {
    const summary = JSON.parse(fs.readFileSync(done, 'utf8')) as ApplySummary;
    return { ...summaryOf(summary, recallFolder(options.to, plan.recallId)), resumed: false };
  }
  const staging = stagingFolder(options.to, plan.recallId);
  const resuming = fs.existsSync(staging);
  if (!resuming)
    checkDestination(options.to, from, options.force ?? false, plan.source.container === 'zip-set');
  const files = plan.files;
  return withRecallSource(from, (source) =>
    applyFromSource({ ...plan, files }, source, staging, options)
  );
}

async function applyFromSource(
  plan: RecallPlan & { files: ExportFile[] },
  source: RecallSource,
  staging: string,
  options: ApplyOptions
): Promise<ApplySummary> {
  // The export must be the one planned on, before anything is written.
  if (plan.inputs) await checkInputs(source, plan.inputs);
  const done = path.join(recallFolder(options.to, plan.recallId), 'results.json');
  const folder = recallFolder(staging, plan.recallId);
  const checkpointFile = path.join(folder, 'checkpoint.json');
  const checkpoint: Checkpoint = fs.existsSync(checkpointFile)
    ? (JSON.parse(fs.readFileSync(checkpointFile, 'utf8')) as Checkpoint)
    : { digest: plan.digest, files: {} };
  if (checkpoint.digest !== plan.digest)
    throw new UsageError(`${folder} holds another plan with the same id; remove it or plan again.`);
  const resumed = Object.keys(checkpoint.files).length > 0;
  makeFolder(staging);
  await copyUnplanned(source, staging, new Set(plan.files.map((f) => f.rel)));
  fs.mkdirSync(folder, { recursive: true });
  atomicWrite(path.join(folder, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);

  let finished = 0;
  for (const file of plan.files) {
    const state = checkpoint.files[file.rel];
    if (state === 'staged') finishStaged(staging, file);
    if (state) {
      checkpoint.files[file.rel] = 'done';
      continue;
    }
    if (options.interruptAfterFiles !== undefined && finished >= options.interruptAfterFiles)
      throw new Error('interrupted (test hook)');
    const job = await jobFor(plan, file, source, plan.files.indexOf(file));
    const staged = await rewriteFile(job, source, staging, folder);
    checkpoint.files[file.rel] = 'staged';
    atomicWrite(checkpointFile, JSON.stringify(checkpoint));
    fs.renameSync(staged, path.join(staging, file.rel));
    checkpoint.files[file.rel] = 'done';
    atomicWrite(checkpointFile, JSON.stringify(checkpoint));
    finished++;
  }
  finish(plan, folder);
  replaceFolder(staging, options.to);
  const summary = summaryOf(
    JSON.parse(fs.readFileSync(done, 'utf8')) as ApplySummary,
    recallFolder(options.to, plan.recallId)
  );
  return { ...summary, resumed };
}

function finishStaged(to: string, file: ExportFile): void {
  const staged = path.join(to, `${file.rel}.recall-tmp`);
  if (fs.existsSync(staged)) fs.renameSync(staged, path.join(to, file.rel));
}

async function jobFor(
  plan: RecallPlan,
  file: ExportFile,
  source: RecallSource,
  index: number
): Promise<FileJob> {
  const keys = new Set(plan.records[file.object] ?? []);
  const deletes = new Set(plan.deletes?.[file.object] ?? []);
  let history: History | null = null;
  const lookups: Lookups = new Set();
  if (plan.action === 'restore') {
    history = new Map();
    for (const rel of historyFiles(source, file.object))
      for (const [key, changes] of await readHistory(
        sourceInput(source, rel),
        file.object,
        keys,
        lookups
      ))
        history.set(
          key,
          [...(history.get(key) ?? []), ...changes].sort((x, y) => x.at - y.at)
        );
  }
  const since = plan.selector?.since ? Date.parse(plan.selector.since) : null;
  const until = plan.selector?.until ? Date.parse(plan.selector.until) : Infinity;
  const reason: ReasonCode = plan.action === 'retention' ? 'RETENTION_EXPIRED' : 'RECALLED';
  const actionOf = (key: string): PlanAction =>
    plan.action === 'retention' ? (deletes.has(key) ? 'delete' : 'quarantine') : plan.action;
  const knownFields = fieldsKnownBeside(file.object);
  return {
    file,
    index,
    planned: keys,
    actionOf,
    change: (key, get, columns) =>
      changeFor(actionOf(key), get, reason, () => {
        const from = since ?? Date.parse(get(PROVENANCE_FIELDS.generatedAt));
        if (Number.isNaN(from))
          return {
            fail: cannotRestoreMessage('no --since and no Generated_At__c to start the window')
          };
        const restored = restoration(
          history?.get(key),
          from,
          until,
          lookups,
          columns && knownFields(columns)
        );
        if ('cannot' in restored) return { fail: cannotRestoreMessage(restored.cannot) };
        return { set: restored.values };
      })
  };
}

/**
 * The fields a restore may put back, given a file's columns: those columns and the object's
 * writable standard fields (jsforce's schema), so OwnerId, tracked but rarely exported, still goes
 * to the org update file, while a custom field that is neither (deleted since its history was
 * written) is skipped as Apex RecallHistory skips a field the describe no longer lists. Cached per
 * columns set (one per file).
 */
function fieldsKnownBeside(object: string): (columns: ReadonlySet<string>) => ReadonlySet<string> {
  let standard: string[] | undefined;
  let last: { columns: ReadonlySet<string>; known: ReadonlySet<string> } | undefined;
  return (columns) => {
    if (last?.columns === columns) return last.known;
    standard ??= StandardFields.load()
      .writableFieldsOf(object)
      .map(([name]) => name.toLowerCase());
    last = { columns, known: new Set([...columns, ...standard]) };
    return last.known;
  };
}

function summaryOf(done: ApplySummary, folder: string): Omit<ApplySummary, 'resumed'> {
  return {
    recallId: done.recallId,
    applied: done.applied,
    failed: done.failed,
    skipped: done.skipped,
    backup: path.resolve(folder, 'backup'),
    changes: path.resolve(folder, 'changes')
  };
}

/** Merges the per-file parts into changes/<Object>-<kind>.csv and results.json. */
function finish(plan: RecallPlan, folder: string): Omit<ApplySummary, 'resumed'> {
  const parts = path.join(folder, 'parts');
  const changes = path.join(folder, 'changes');
  fs.mkdirSync(changes, { recursive: true });
  const merged = new Map<string, string[]>();
  const names = fs.existsSync(parts) ? fs.readdirSync(parts).sort() : [];
  for (const name of names.filter((n) => n.endsWith('.csv'))) {
    const target = name.replace(/^\d+-/, '');
    const lines = fs.readFileSync(path.join(parts, name), 'utf8').split('\n').filter(Boolean);
    const existing = merged.get(target);
    if (existing) existing.push(...lines.slice(1));
    else merged.set(target, lines);
  }
  for (const [name, lines] of merged)
    atomicWrite(path.join(changes, name), `${lines.join('\n')}\n`);
  // Streamed: a recall of a million records must not hold a million results.
  const counts = { applied: 0, failed: 0, skipped: 0 };
  const resultParts = names.filter((n) => n.endsWith('.jsonl')).map((n) => path.join(parts, n));
  for (const part of resultParts)
    forEachLine(part, (line) => counts[(JSON.parse(line) as RecordResult).result]++);
  const out = new BufferedWriter(path.join(folder, 'results.json.tmp'));
  out.write(
    JSON.stringify({ recallId: plan.recallId, action: plan.action, ...counts }, null, 2).replace(
      /\n}$/,
      ',\n  "records": ['
    )
  );
  let first = true;
  for (const part of resultParts)
    forEachLine(part, (line) => {
      out.write(`${first ? '' : ','}\n    ${line}`);
      first = false;
    });
  out.write(`${first ? '' : '\n  '}]\n}\n`);
  out.close();
  fs.renameSync(out.file, path.join(folder, 'results.json'));
  fs.rmSync(parts, { recursive: true, force: true });
  fs.rmSync(path.join(folder, 'checkpoint.json'), { force: true });
  return summaryOf(
    { recallId: plan.recallId, ...counts, backup: '', changes: '', resumed: false },
    folder
  );
}
/** Calls `fn` for each non-empty line of a file, reading a megabyte at a time. */
export function forEachLine(file: string, fn: (line: string) => void): void {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 20);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      const text = rest + decoder.write(buffer.subarray(0, read));
      const lines = text.split('\n');
      rest = lines.pop()!;
      for (const line of lines) if (line) fn(line);
    }
    if (rest) fn(rest);
  } finally {
    fs.closeSync(fd);
  }
}

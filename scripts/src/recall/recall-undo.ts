import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../cli/errors';
import { RawRecord, readRawRecords } from './raw-csv';
import { headerIndex, listFiles, readTree, RECALLS_DIR, treeKey, treeText } from './recall-export';
import { forEachLine, RecordResult } from './recall-apply';
import { BufferedWriter, Op } from './recall-rewrite';
import { PLAN_FORMAT, readPlan, seal, writePlan } from './recall-plan';

/** What `sdg recall undo --json` prints. */
export interface UndoSummary {
  /** The undo's own recall id (undo it like any recall). */
  recallId: string;
  /** The recall this undid. */
  undoes: string;
  /** Records put back. */
  restored: number;
  /** Where the restored export is. */
  to: string;
}

function readOps(file: string): Op[] {
  const ops: Op[] = [];
  if (fs.existsSync(file)) forEachLine(file, (line) => ops.push(JSON.parse(line) as Op));
  return ops;
}

/** A backup row as it was in the file (the backup adds a line break to an unterminated last record). */
function original(raw: string, op: Op): string {
  return op.eol === false ? raw.replace(/\r?\n$/, '') : raw;
}

/** Everything an undo of one file produced. */
interface FileUndo {
  ops: Op[];
  restoredKeys: string[];
  results: RecordResult[];
}

/**
 * Rebuilds a CSV file as it was before a recall from the file after it and the backup, in one
 * pass: the ops are in file order, so backup rows are read alongside. Writes the undo's own
 * backup, so the undo can be undone.
 */
async function undoCsv(
  after: string,
  backupFile: string,
  ops: Op[],
  target: string,
  undoBackup: string,
  object: string
): Promise<FileUndo> {
  const backupRows = readRawRecords(backupFile)[Symbol.asyncIterator]();
  await backupRows.next(); // header
  const nextBackup = async (): Promise<RawRecord> => {
    const next = await backupRows.next();
    if (next.done)
      throw new UsageError(`${backupFile}: fewer rows than its ops; the backup is damaged.`);
    return next.value;
  };
  const out = new BufferedWriter(target);
  const backup = new BufferedWriter(undoBackup);
  const undoOps: Op[] = [];
  const restoredKeys: string[] = [];
  const results: RecordResult[] = [];
  let cursor = 0;
  let r = 0;
  let index: Map<string, number> | null = null;
  const keyOf = (record: RawRecord) => record.values[index?.get('id') ?? -1] ?? '';
  const reinsertDeleted = async () => {
    while (cursor < ops.length && ops[cursor]!.op === 'delete' && ops[cursor]!.pre === r) {
      const row = await nextBackup();
      out.write(original(row.raw, ops[cursor]!));
      undoOps.push({ op: 'insert', post: r });
      restoredKeys.push(keyOf(row));
      results.push({ object, id: keyOf(row), action: 'undo', result: 'applied' });
      cursor++;
      r++;
    }
  };
  let p = 0;
  for await (const record of readRawRecords(after)) {
    if (!index) {
      index = headerIndex(record);
      out.write(record.raw);
      backup.write(record.raw);
      continue;
    }
    await reinsertDeleted();
    const op = ops[cursor];
    const keep = /\n$/.test(record.raw) ? {} : { eol: false as const };
    if (op?.op === 'insert' && op.post === p) {
      undoOps.push({ op: 'delete', pre: p, ...keep });
      backup.write(keep.eol === false ? `${record.raw}\n` : record.raw);
      restoredKeys.push(keyOf(record));
      results.push({ object, id: keyOf(record), action: 'undo', result: 'applied' });
      cursor++;
    } else if (op?.op === 'modify' && op.post === p) {
      const row = await nextBackup();
      out.write(original(row.raw, op));
      undoOps.push({ op: 'modify', pre: p, post: r, ...keep });
      backup.write(keep.eol === false ? `${record.raw}\n` : record.raw);
      restoredKeys.push(keyOf(row));
      results.push({ object, id: keyOf(row), action: 'undo', result: 'applied' });
      cursor++;
      r++;
    } else {
      out.write(record.raw);
      r++;
    }
    p++;
  }
  await reinsertDeleted();
  out.close();
  backup.close();
  if (cursor !== ops.length)
    throw new UsageError(
      `${after}: the file no longer matches the recall's backup (${ops.length - cursor} changes could not be placed). Undo from the folder the recall wrote.`
    );
  return { ops: undoOps, restoredKeys, results };
}

/** The same for a tree file (small: in memory). */
function undoTree(
  after: string,
  backupFile: string,
  ops: Op[],
  target: string,
  undoBackup: string,
  object: string
): FileUndo {
  const applied = readTree(after);
  const backupRecords = readTree(backupFile).records;
  const out: Record<string, unknown>[] = [];
  const saved: Record<string, unknown>[] = [];
  const undoOps: Op[] = [];
  const restoredKeys: string[] = [];
  const results: RecordResult[] = [];
  let cursor = 0;
  let b = 0;
  const reinsertDeleted = () => {
    while (cursor < ops.length && ops[cursor]!.op === 'delete' && ops[cursor]!.pre === out.length) {
      const row = backupRecords[b++]!;
      undoOps.push({ op: 'insert', post: out.length });
      out.push(row);
      restoredKeys.push(treeKey(row));
      cursor++;
    }
  };
  applied.records.forEach((record, p) => {
    reinsertDeleted();
    const op = ops[cursor];
    if (op?.op === 'insert' && op.post === p) {
      undoOps.push({ op: 'delete', pre: p });
      saved.push(record);
      restoredKeys.push(treeKey(record));
      cursor++;
    } else if (op?.op === 'modify' && op.post === p) {
      const row = backupRecords[b++]!;
      undoOps.push({ op: 'modify', pre: p, post: out.length });
      saved.push(record);
      out.push(row);
      restoredKeys.push(treeKey(row));
      cursor++;
    } else out.push(record);
  });
  reinsertDeleted();
  if (cursor !== ops.length)
    throw new UsageError(
      `${after}: the file no longer matches the recall's backup. Undo from the folder the recall wrote.`
    );
  fs.writeFileSync(target, treeText({ ...applied, records: out }));
  fs.writeFileSync(undoBackup, treeText({ ...applied, records: saved }));
  for (const id of restoredKeys) results.push({ object, id, action: 'undo', result: 'applied' });
  return { ops: undoOps, restoredKeys, results };
}

/**
 * Undoes an offline recall: writes the export as it was before the recall to `to` (same files,
 * same records, same bytes), with the undo's own recall folder, so the undo can be undone too.
 */
export async function undoExport(recallDir: string, to: string, now: string): Promise<UndoSummary> {
  const planFile = path.join(recallDir, 'plan.json');
  if (!fs.existsSync(recallDir) || !fs.existsSync(planFile))
    throw new UsageError(
      `${recallDir}: not a recall folder (no plan.json). Give <export>/recalls/<recallId>.`
    );
  const plan = readPlan(planFile);
  if (!fs.existsSync(path.join(recallDir, 'results.json')))
    throw new UsageError(
      `${recallDir}: the recall did not finish; run sdg recall apply again to resume it, then undo.`
    );
  if (plan.source.kind !== 'export' || !plan.files)
    throw new UsageError(`${recallDir}: an org recall; undo it with sdg recall undo --target-org.`);
  const applied = path.resolve(recallDir, '..', '..');
  if (path.resolve(to) === applied)
    throw new UsageError('--to must be another folder than the one the recall wrote.');
  fs.mkdirSync(to, { recursive: true });
  const planned = new Set(plan.files.map((f) => f.rel));
  for (const rel of listFiles(applied)) {
    if (planned.has(rel)) continue;
    fs.mkdirSync(path.dirname(path.join(to, rel)), { recursive: true });
    fs.copyFileSync(path.join(applied, rel), path.join(to, rel));
  }
  fs.cpSync(path.join(applied, RECALLS_DIR), path.join(to, RECALLS_DIR), { recursive: true });

  // Named after the recall it undoes, so the folder says what it is (an undo of an undo too).
  const undoId = `${plan.recallId}-undo`;
  const folder = path.join(to, RECALLS_DIR, undoId);
  const records: Record<string, string[]> = {};
  const results: RecordResult[] = [];
  for (const file of plan.files) {
    const backupFile = path.join(recallDir, 'backup', file.rel);
    const undoBackup = path.join(folder, 'backup', file.rel);
    fs.mkdirSync(path.dirname(undoBackup), { recursive: true });
    const ops = readOps(`${backupFile}.ops.jsonl`);
    const target = path.join(to, file.rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const done =
      file.format === 'tree'
        ? undoTree(path.join(applied, file.rel), backupFile, ops, target, undoBackup, file.object)
        : await undoCsv(
            path.join(applied, file.rel),
            backupFile,
            ops,
            target,
            undoBackup,
            file.object
          );
    fs.writeFileSync(
      `${undoBackup}.ops.jsonl`,
      done.ops.map((o) => `${JSON.stringify(o)}\n`).join('')
    );
    (records[file.object] ??= []).push(...done.restoredKeys);
    results.push(...done.results);
  }
  const counts = Object.fromEntries(Object.entries(records).map(([o, ids]) => [o, ids.length]));
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const undoPlan = seal(
    {
      format: PLAN_FORMAT,
      action: 'undo',
      selector: null,
      source: { kind: 'export', path: applied, format: plan.source.format },
      createdAt: now,
      soql: {},
      counts,
      total,
      records,
      cascaded: {},
      files: plan.files,
      undoes: plan.recallId
    },
    undoId
  );
  writePlan(path.join(folder, 'plan.json'), undoPlan);
  fs.writeFileSync(
    path.join(folder, 'results.json'),
    `${JSON.stringify({ recallId: undoId, action: 'undo', undoes: plan.recallId, applied: results.length, failed: 0, skipped: 0, records: results }, null, 2)}\n`
  );
  return { recallId: undoId, undoes: plan.recallId, restored: total, to: path.resolve(to) };
}

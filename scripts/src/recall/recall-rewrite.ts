import fs from 'node:fs';
import path from 'node:path';
import { PROVENANCE_FIELDS } from '../provenance-model/schema';
import { detach, patch, quote, RawRecord, readRawRecords } from './raw-csv';
import {
  ExportFile,
  headerIndex,
  sourceInput,
  sourceTree,
  treeGet,
  treeKey,
  treeText
} from './recall-export';
import type { RecallSource } from './recall-source';
import type { Change, RecordResult } from './recall-apply';
import type { PlanAction } from './recall-plan';

/** What to do to one file: which keys are planned and how each changes. */
export interface FileJob {
  file: ExportFile;
  /** Position of the file in the plan (names its parts, keeps their order). */
  index: number;
  planned: ReadonlySet<string>;
  /** `columns`: the file's column names in lower case, when the format has a header (CSV). */
  change(key: string, get: (field: string) => string, columns?: ReadonlySet<string>): Change;
  actionOf(key: string): PlanAction;
}

/**
 * How a file changed, one line per affected record, so an undo can rebuild the file before the
 * change from the file after it and the backup: `modify` (pre- and post-position, backup row),
 * `delete` (pre-position, backup row), `insert` (post-position, no backup row).
 */
export interface Op {
  op: 'modify' | 'delete' | 'insert';
  pre?: number;
  post?: number;
  /** The record ended the file without a line break. */
  eol?: false;
}

/** Synchronous buffered file writer: one write per megabyte, not per record. */
export class BufferedWriter {
  private readonly fd: number;
  private chunks: string[] = [];
  private size = 0;
  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'w');
  }
  write(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size > 1 << 20) this.flush();
  }
  private flush(): void {
    if (this.chunks.length) fs.writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

/** The Bulk API 2.0 key of a changed record: its Id, else its external id (an upsert). */
function changeKey(get: (field: string) => string): { column: string; value: string } | null {
  const id = get('Id');
  if (id) return { column: 'Id', value: id };
  const external = get(PROVENANCE_FIELDS.sourceRecordId);
  return external ? { column: PROVENANCE_FIELDS.sourceRecordId, value: external } : null;
}

/** Collects the Bulk API 2.0 change rows of one file. */
class ChangeParts {
  private readonly updates = new Map<string, { columns: string[]; rows: string[][] }>();
  private readonly deletes: string[] = [];
  constructor(
    private readonly dir: string,
    private readonly job: FileJob
  ) {}
  update(key: { column: string; value: string }, set: Map<string, string>): void {
    const kind = key.column === 'Id' ? 'update' : 'upsert';
    const columns = [key.column, ...[...set.keys()].sort()];
    const name = `${kind}:${columns.join(',')}`;
    let entry = this.updates.get(name);
    if (!entry) this.updates.set(name, (entry = { columns, rows: [] }));
    // Bulk API 2.0 ignores an empty cell; #N/A is how it blanks a field.
    entry.rows.push(
      [key.value, ...columns.slice(1).map((c) => set.get(c) || '#N/A')].map((v) => detach(v))
    );
  }
  remove(id: string): void {
    this.deletes.push(detach(id));
  }
  write(): void {
    const prefix = `${String(this.job.index).padStart(4, '0')}-`;
    const object = this.job.file.object;
    let n = 0;
    for (const [name, { columns, rows }] of this.updates) {
      const kind = name.split(':')[0]!;
      const suffix = this.updates.size > 1 ? `-${++n}` : '';
      const lines = [columns, ...rows].map((r) => r.map((v) => quote(v, false)).join(','));
      fs.writeFileSync(
        path.join(this.dir, `${prefix}${object}-${kind}${suffix}.csv`),
        `${lines.join('\n')}\n`
      );
    }
    if (this.deletes.length)
      fs.writeFileSync(
        path.join(this.dir, `${prefix}${object}-delete.csv`),
        `Id\n${this.deletes.join('\n')}\n`
      );
  }
}

/**
 * Rewrites one export file with its planned changes into `<to>/<rel>.recall-tmp` (renamed by the
 * caller), after writing the backup (`backup/<rel>` in the file's own format, and
 * `backup/<rel>.ops.jsonl`) and the per-file parts of changes and results.
 */
export async function rewriteFile(
  job: FileJob,
  source: RecallSource,
  to: string,
  folder: string
): Promise<string> {
  const parts = path.join(folder, 'parts');
  fs.mkdirSync(parts, { recursive: true });
  const staged = path.join(to, `${job.file.rel}.recall-tmp`);
  const backupFile = path.join(folder, 'backup', job.file.rel);
  const results = new BufferedWriter(
    path.join(parts, `${String(job.index).padStart(4, '0')}.jsonl.tmp`)
  );
  const changes = new ChangeParts(parts, job);
  const ops = new BufferedWriter(`${backupFile}.ops.jsonl.tmp`);
  const result = (key: string, outcome: RecordResult['result'], message?: string) =>
    results.write(
      `${JSON.stringify({ object: job.file.object, id: key, action: job.actionOf(key), result: outcome, ...(message ? { message } : {}) })}\n`
    );
  const handle = (
    key: string,
    get: (field: string) => string,
    pre: number,
    post: number,
    extra: Record<string, unknown> = {},
    columns?: ReadonlySet<string>
  ): Change => {
    const change = job.change(key, get, columns);
    if (change === null) result(key, 'skipped', 'already in the planned state');
    else if ('fail' in change) result(key, 'failed', change.fail);
    else {
      const changeAt = changeKey(get);
      if ('remove' in change) {
        ops.write(`${JSON.stringify({ op: 'delete', pre, ...extra })}\n`);
        if (changeAt?.column === 'Id') changes.remove(changeAt.value);
      } else {
        ops.write(`${JSON.stringify({ op: 'modify', pre, post, ...extra })}\n`);
        if (changeAt) changes.update(changeAt, change.set);
      }
      result(
        key,
        'applied',
        changeAt?.column === 'Id' ? undefined : 'no Id: change it in the org by hand'
      );
    }
    return change;
  };

  if (job.file.format === 'tree') {
    const tree = await sourceTree(source, job.file.rel);
    const kept: Record<string, unknown>[] = [];
    const backup: Record<string, unknown>[] = [];
    // The file's fields: a tree record may leave out a field it has no value for, so a restore
    // skips a history row only when no record of the file names its field (as a CSV's header).
    const fields = new Set<string>();
    for (const record of tree.records)
      for (const field of Object.keys(record)) fields.add(field.toLowerCase());
    tree.records.forEach((record, pre) => {
      const key = treeKey(record);
      const change = job.planned.has(key)
        ? handle(key, (f) => treeGet(record, f), pre, kept.length, {}, fields)
        : null;
      if (change && 'remove' in change) {
        backup.push(record);
        return;
      }
      if (change && 'set' in change) {
        backup.push(record);
        const copy = { ...record };
        for (const [field, value] of change.set) {
          const existing = Object.keys(copy).find((k) => k.toLowerCase() === field.toLowerCase());
          copy[existing ?? field] = value === '' ? null : value;
        }
        kept.push(copy);
        return;
      }
      kept.push(record);
    });
    fs.mkdirSync(path.dirname(backupFile), { recursive: true });
    fs.writeFileSync(`${backupFile}.tmp`, treeText({ ...tree, records: backup }));
    fs.writeFileSync(staged, treeText({ ...tree, records: kept }));
  } else {
    const out = new BufferedWriter(staged);
    const backup = new BufferedWriter(`${backupFile}.tmp`);
    let index: Map<string, number> | null = null;
    let names: ReadonlySet<string> = new Set();
    let pre = 0;
    let post = 0;
    for await (const record of readRawRecords(sourceInput(source, job.file.rel))) {
      if (!index) {
        index = headerIndex(record);
        names = new Set(index.keys());
        out.write(record.raw);
        backup.write(record.raw);
        continue;
      }
      const columns = index;
      const get = (field: string) => record.values[columns.get(field.toLowerCase()) ?? -1] ?? '';
      const key = get('Id');
      // A last record without a line break gets one in the backup; the undo takes it off again.
      const open = /\n$/.test(record.raw) ? {} : { eol: false };
      const change = key && job.planned.has(key) ? handle(key, get, pre, post, open, names) : null;
      pre++;
      if (change && 'remove' in change) {
        backup.write(withTerminator(record));
        continue;
      }
      if (change && 'set' in change) {
        backup.write(withTerminator(record));
        const updates = new Map<number, string>();
        for (const [field, value] of change.set) {
          const at = columns.get(field.toLowerCase());
          if (at !== undefined) updates.set(at, value);
        }
        out.write(patch(record, updates));
      } else out.write(record.raw);
      post++;
    }
    out.close();
    backup.close();
  }
  ops.close();
  results.close();
  changes.write();
  fs.renameSync(`${backupFile}.tmp`, backupFile);
  fs.renameSync(`${backupFile}.ops.jsonl.tmp`, `${backupFile}.ops.jsonl`);
  fs.renameSync(results.file, results.file.replace(/\.tmp$/, ''));
  return staged;
}

/** A backup row always ends a line, even when it was the file's last, unterminated record. */
function withTerminator(record: RawRecord): string {
  return /\n$/.test(record.raw) ? record.raw : `${record.raw}\n`;
}

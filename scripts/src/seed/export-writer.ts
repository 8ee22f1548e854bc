import { stringify, Stringifier } from 'csv-stringify';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { AuditEvent } from '../audit-chain/canonical';
import type { PolicySet } from '../policy/package-policy';
import type { GovernedObject } from '../provenance-model/schema';
import { AUDIT_EVENT_COLUMNS, columnsOf, EXPORT_FILES, OBJECT_ORDER } from './export-layout';
import { COLUMNS } from '../audit-chain/export-reader';
import type { SeededRecord } from './seed-generator';
import { historyColumns, historyFileName, historyRows } from './seed-history';
import { to18 } from '../audit-chain/export-reader';

/** sObject tree files hold at most 200 records (the limit of `sf data import tree`). */
const TREE_FILE_LIMIT = 200;
/** Above this many records only CSVs are written: tree import is for small, related samples. */
export const TREE_MAX_RECORDS = 5000;

function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
}

/**
 * Writes an export folder the way Salesforce exports look: one CSV per object as Bulk API 2.0
 * query results (header of field API names, RFC 4180 quoting, empty for null), streamed.
 */
export class ExportWriter {
  private readonly writers = new Map<string, { csv: Stringifier; done: Promise<unknown> }>();
  private readonly tree: Record<string, SeededRecord[]> = {};
  private historyCount = 0;
  readonly counts: Record<string, number> = {};

  constructor(
    private readonly dir: string,
    private readonly withTree: boolean
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }

  private writer(file: string, columns: string[]): Stringifier {
    let entry = this.writers.get(file);
    if (!entry) {
      const csv = stringify({ header: true, columns, record_delimiter: 'unix' });
      const out = fs.createWriteStream(path.join(this.dir, file));
      // A write error (disk full, folder removed) fails the seed instead of hanging it.
      out.on('error', (error) => csv.destroy(error));
      csv.pipe(out);
      entry = { csv, done: once(out, 'finish') };
      this.writers.set(file, entry);
    }
    return entry.csv;
  }

  private async write(csv: Stringifier, row: string[]): Promise<void> {
    if (!csv.write(row)) await once(csv, 'drain');
  }

  /** Appends a record to its object's CSV. */
  async record(record: SeededRecord): Promise<void> {
    const columns = columnsOf(record.object);
    await this.write(
      this.writer(`${record.object}.csv`, columns),
      columns.map((c) => cell(record.fields[c]))
    );
    this.counts[record.object] = (this.counts[record.object] ?? 0) + 1;
    if (this.withTree) (this.tree[record.object] ??= []).push(record);
  }

  /**
   * Appends a record's field history (owner changes up to `referenceTime`) to its object's
   * history file (`LeadHistory.csv` …), so SDG-13 runs on the sample.
   */
  async history(record: SeededRecord, referenceTime: string): Promise<void> {
    const nextId = () => to18(`0175g${String(++this.historyCount).padStart(10, '0')}`);
    const rows = historyRows(record, referenceTime, nextId);
    if (!rows.length) return;
    const file = historyFileName(record.object);
    const columns = historyColumns(record.object);
    const csv = this.writer(file, columns);
    for (const row of rows)
      await this.write(
        csv,
        columns.map((c) => row[c] ?? '')
      );
    const name = file.replace(/\.csv$/, '');
    this.counts[name] = (this.counts[name] ?? 0) + rows.length;
  }

  /** Appends an audit event to the event CSV. */
  async event(event: AuditEvent): Promise<void> {
    const properties = Object.keys(COLUMNS) as (keyof AuditEvent)[];
    await this.write(
      this.writer(EXPORT_FILES.auditEvents, AUDIT_EVENT_COLUMNS),
      properties.map((p) => cell(event[p]))
    );
    this.counts.Synthetic_Audit_Event__c = (this.counts.Synthetic_Audit_Event__c ?? 0) + 1;
  }

  /** Ensures every object has a file and a history file (possibly header only), then closes all files. */
  async close(): Promise<void> {
    for (const object of OBJECT_ORDER) {
      this.writer(`${object}.csv`, columnsOf(object));
      this.writer(historyFileName(object), historyColumns(object));
    }
    this.writer(EXPORT_FILES.auditEvents, AUDIT_EVENT_COLUMNS);
    for (const { csv, done } of this.writers.values()) {
      csv.end();
      await done;
    }
    if (this.withTree) this.writeTree();
  }

  /** JSON files and a plan that `sf data import tree --plan tree/plan.json` accepts. */
  private writeTree(): void {
    const dir = path.join(this.dir, 'tree');
    fs.mkdirSync(dir, { recursive: true });
    const plan: { sobject: string; saveRefs: boolean; resolveRefs: boolean; files: string[] }[] =
      [];
    for (const object of OBJECT_ORDER) {
      const records = this.tree[object] ?? [];
      const files: string[] = [];
      for (let start = 0; start < records.length; start += TREE_FILE_LIMIT) {
        const name = `${object}-${start / TREE_FILE_LIMIT + 1}.json`;
        const chunk = records.slice(start, start + TREE_FILE_LIMIT).map((r) => treeRecord(r));
        fs.writeFileSync(path.join(dir, name), `${JSON.stringify({ records: chunk }, null, 2)}\n`);
        files.push(name);
      }
      if (files.length)
        plan.push({
          sobject: object,
          saveRefs: object === 'Account' || object === 'Contact',
          resolveRefs: object !== 'Account',
          files
        });
    }
    fs.writeFileSync(path.join(dir, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
  }

  /** Writes the policy the records were decided with, so `sdg audit` re-evaluates against the same rules. */
  writePolicy(policy: PolicySet): void {
    fs.writeFileSync(
      path.join(this.dir, EXPORT_FILES.policy),
      `${JSON.stringify(policy, null, 2)}\n`
    );
  }

  /** Writes a JSON file into the folder. */
  writeJson(name: string, value: unknown): void {
    fs.writeFileSync(path.join(this.dir, name), `${JSON.stringify(value, null, 2)}\n`);
  }
}

/** A record as sObject tree JSON: references instead of Ids, no system or formula fields. */
function treeRecord(record: SeededRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: { type: record.object, referenceId: refOf(record.fields.Id as string) }
  };
  for (const [field, value] of Object.entries(record.fields)) {
    if (field === 'Id' || field === 'CreatedDate' || value === null || value === '') continue;
    out[field] =
      field === 'AccountId' || field === 'ContactId' ? `@${refOf(String(value))}` : value;
  }
  return out;
}

function refOf(id: string): string {
  return `Ref${id.slice(0, 15)}`;
}

export type { GovernedObject };

import fs from 'node:fs';
import path from 'node:path';
import { ExportFormatError } from '../audit-chain/export-format-error';
import { fieldText } from '../field-text';
import { GovernedObject } from '../provenance-model/schema';
import { EXPORT_FILES, OBJECT_ORDER } from '../seed/export-layout';
import { zipsIn } from '../audit/export-container';
import { Inventory, openInventory } from '../audit/export-inventory';
import { RawRecord, readRawRecords } from './raw-csv';
import type { RecallSource } from './recall-source';

/** The folder a recall keeps its plan, backup, changes and results in, inside an export. */
export const RECALLS_DIR = 'recalls';

/** One file of an export that holds records of a governed object. */
export interface ExportFile {
  /** Path relative to the export folder, with forward slashes. */
  rel: string;
  object: GovernedObject;
  format: 'csv' | 'tree';
  /** Which rule named the file's object, as `sdg audit` reports it ("file name", "Id prefix 00Q", "--object", "plan", "attributes.type"). */
  how?: string;
}

/** A record of an export file, read-only, in the file's own field-name case. */
export interface ExportRecord {
  /** The record's key: its Id, or in sObject tree files without Ids its referenceId. */
  key: string;
  /** A field by API name, any case; '' when absent or null. */
  get: (field: string) => string;
}

const PARENT_FIELDS: Partial<Record<GovernedObject, string[]>> = {
  Contact: ['AccountId'],
  Opportunity: ['AccountId'],
  Case: ['AccountId', 'ContactId']
};

/** Lookups a delete follows: children of a deleted parent go with it (never left dangling). */
export function parentFieldsOf(object: GovernedObject): string[] {
  return PARENT_FIELDS[object] ?? [];
}

/** A parent reference as a key: an Id, or `@ref` in a tree file becomes `ref`. */
export function referenceKey(value: string): string {
  return value.startsWith('@') ? value.slice(1) : value;
}

function isTreeFile(file: string, governed: readonly string[]): GovernedObject | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  const records = (parsed as { records?: unknown }).records;
  if (!Array.isArray(records) || records.length === 0) return null;
  const type = (records[0] as { attributes?: { type?: string } }).attributes?.type;
  // Objects the policy adds to the five are typed as GovernedObject: readers treat them by name.
  return type !== undefined && governed.includes(type) ? (type as GovernedObject) : null;
}

/**
 * The record files of an export folder. Object CSVs (`Lead.csv`, …) are the export when there
 * are any; otherwise sObject tree JSON files (`sf data export tree`, `sdg seed`'s `tree/`) are.
 * Other files (the audit events, policy, a tree copy beside CSVs) are carried over unchanged.
 */
export function exportFiles(
  dir: string,
  governed: readonly string[] = OBJECT_ORDER
): { format: 'csv' | 'tree'; files: ExportFile[] } {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new ExportFormatError(`${dir}: no such export folder.`);
  const ordered = [
    ...OBJECT_ORDER,
    ...governed.filter((o) => !OBJECT_ORDER.includes(o as GovernedObject))
  ];
  const csv = (ordered as GovernedObject[]).filter((o) =>
    fs.existsSync(path.join(dir, EXPORT_FILES.object(o)))
  );
  if (csv.length)
    return {
      format: 'csv',
      files: csv.map((object) => ({ rel: EXPORT_FILES.object(object), object, format: 'csv' }))
    };
  const files: ExportFile[] = [];
  for (const rel of listFiles(dir).filter((f) => f.endsWith('.json'))) {
    const object = isTreeFile(path.join(dir, rel), governed);
    if (object) files.push({ rel, object, format: 'tree' });
  }
  if (!files.length)
    throw new ExportFormatError(
      `${dir}: no records found. Expected ${OBJECT_ORDER.map((o) => EXPORT_FILES.object(o)).join(', ')} or sObject tree JSON files.`
    );
  // Parents before children (OBJECT_ORDER), then the objects the policy adds, in its order.
  const rank = (o: GovernedObject) =>
    OBJECT_ORDER.includes(o) ? OBJECT_ORDER.indexOf(o) : OBJECT_ORDER.length + governed.indexOf(o);
  files.sort((a, b) => rank(a.object) - rank(b.object) || a.rel.localeCompare(b.rel));
  return { format: 'tree', files };
}

/**
 * The record files of an export folder, classified by the audit's reader (`openInventory`): Data
 * Loader and Bulk API files under any name take their object from `--object FILE=Object`, the
 * plan, the file name, `attributes.type` or the Id key prefix, and say which. Object CSVs are
 * the export when there are any, else tree JSON; a folder whose files are all in subfolders (a
 * seeded `tree/` copy) is read as before.
 */
export async function classifiedExportFiles(
  dir: string,
  objects: string[] = [],
  governedObjects: readonly string[] = OBJECT_ORDER
): Promise<{ format: 'csv' | 'tree'; files: ExportFile[] }> {
  const file = fs.existsSync(dir) && fs.statSync(dir).isFile();
  if (!fs.existsSync(dir) || (!file && !fs.statSync(dir).isDirectory()))
    throw new ExportFormatError(
      `${dir}: no such export folder or Data Export zip. Give the folder of CSV or JSON files, the zip, or the folder holding every zip of a Data Export.`
    );
  // A zip, or a folder of a Data Export set's zips: its entries are the export, nothing else.
  const zip = file || zipsIn(dir).length > 0;
  let inventory: Inventory | null = null;
  try {
    inventory = await openInventory(dir, { objects, governed: governedObjects });
  } catch (error) {
    // Nothing governed at the top: a tree-only export in subfolders is read the older way; else
    // the reader's own message (it says how to name a file's object) stands.
    if (!(error instanceof ExportFormatError) || objects.length || zip) throw error;
    try {
      return exportFiles(dir, governedObjects);
    } catch {
      throw error;
    }
  }
  inventory?.container.close();
  const ordered = [
    ...OBJECT_ORDER,
    ...governedObjects.filter((o) => !OBJECT_ORDER.includes(o as GovernedObject))
  ] as GovernedObject[];
  const governed = (inventory?.files ?? []).filter((f) =>
    ordered.includes(f.object as GovernedObject)
  );
  const pick = (format: 'csv' | 'tree') =>
    governed
      .filter((f) => f.format === format)
      .map((f) => ({
        // In a zip, the entry's path inside it; in a set, with its part number if taken.
        rel: f.rel,
        object: f.object as GovernedObject,
        format,
        how: f.how
      }));
  const rank = (o: GovernedObject) => ordered.indexOf(o);
  const sorted = (files: ExportFile[]) =>
    files.sort((a, b) => rank(a.object) - rank(b.object) || a.rel.localeCompare(b.rel));
  const csv = pick('csv');
  if (csv.length) return { format: 'csv', files: sorted(csv) };
  const tree = pick('tree');
  if (tree.length) return { format: 'tree', files: sorted(tree) };
  if (zip) throw new ExportFormatError(`${dir}: no governed records in the zip${file ? '' : 's'}.`);
  return exportFiles(dir, governedObjects);
}

/** Every file under a folder (relative, forward slashes, sorted), the recalls folder excluded. */
export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (rel !== RECALLS_DIR) out.push(...listFiles(dir, rel));
    } else out.push(rel);
  }
  return out.sort();
}

/** The column index of each field, by lower-cased name. */
export function headerIndex(header: RawRecord): Map<string, number> {
  return new Map(header.values.map((name, i) => [name.trim().toLowerCase(), i]));
}

/** An sObject tree file: its records and how it was written, so it can be written back alike. */
export interface TreeFile {
  records: Record<string, unknown>[];
  /** Indentation and final newline of the file as read. */
  indent: string | number;
  trailingNewline: boolean;
  /** Other top-level keys, kept. */
  rest: Record<string, unknown>;
}

/** Reads a tree file (small by design: `sf data import tree` takes 200 records a file). */
export function readTree(file: string): TreeFile {
  return parseTree(fs.readFileSync(file, 'utf8'));
}

/** A tree file's text, parsed with how it was written. */
export function parseTree(text: string): TreeFile {
  const parsed = JSON.parse(text) as { records: Record<string, unknown>[] } & Record<
    string,
    unknown
  >;
  const indentMatch = /^\{\r?\n([ \t]+)/.exec(text);
  const { records, ...rest } = parsed;
  return {
    records,
    indent: indentMatch ? indentMatch[1]! : 0,
    trailingNewline: text.endsWith('\n'),
    rest
  };
}

/** Writes a tree file the way it was read. */
export function treeText(tree: TreeFile): string {
  const body = JSON.stringify({ records: tree.records, ...tree.rest }, null, tree.indent);
  return tree.trailingNewline ? `${body}\n` : body;
}

/** A tree record's field by API name, any case. */
export function treeGet(record: Record<string, unknown>, field: string): string {
  const lower = field.toLowerCase();
  for (const [name, value] of Object.entries(record))
    if (name.toLowerCase() === lower) return fieldText(value);
  return '';
}

/** The key of a tree record: its Id, else its referenceId. */
export function treeKey(record: Record<string, unknown>): string {
  const id = treeGet(record, 'Id');
  if (id) return id;
  return (record.attributes as { referenceId?: string } | undefined)?.referenceId ?? '';
}

/** Streams the records of any export file with a uniform, read-only view. */
export async function* exportRecords(
  source: RecallSource,
  file: ExportFile
): AsyncGenerator<ExportRecord> {
  if (file.format === 'tree') {
    for (const record of (await sourceTree(source, file.rel)).records)
      yield { key: treeKey(record), get: (field) => treeGet(record, field) };
    return;
  }
  let index: Map<string, number> | null = null;
  for await (const record of readRawRecords(sourceInput(source, file.rel))) {
    if (!index) {
      index = headerIndex(record);
      if (!index.has('id'))
        throw new ExportFormatError(
          `${source.where(file.rel)}: no Id column; a recall needs record Ids.`
        );
      continue;
    }
    const columns = index;
    const values = record.values;
    yield {
      key: values[columns.get('id')!] ?? '',
      get: (field) => {
        const i = columns.get(field.toLowerCase());
        return i === undefined ? '' : (values[i] ?? '');
      }
    };
  }
}

/** Whether a file has a field (CSV header, or any tree record). */
export async function hasField(
  source: RecallSource,
  file: ExportFile,
  field: string
): Promise<boolean> {
  if (file.format === 'tree') {
    const lower = field.toLowerCase();
    return (await sourceTree(source, file.rel)).records.some((r) =>
      Object.keys(r).some((k) => k.toLowerCase() === lower)
    );
  }
  for await (const header of readRawRecords(sourceInput(source, file.rel)))
    return headerIndex(header).has(field.toLowerCase());
  return false;
}

/** One file of a source, as the CSV reader takes it. */
export function sourceInput(source: RecallSource, rel: string) {
  return { where: source.where(rel), open: () => source.open(rel) };
}

/** A tree file of a source (a folder's file or a zip's entry), parsed. */
export async function sourceTree(source: RecallSource, rel: string): Promise<TreeFile> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await source.open(rel)) as AsyncIterable<Buffer>) chunks.push(chunk);
  return parseTree(Buffer.concat(chunks).toString('utf8'));
}

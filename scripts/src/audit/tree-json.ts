import { ExportFormatError } from '../audit-chain/export-format-error';
import type { ExportEntry } from './export-container';
import { jsonRecordBatches } from './json-records';

/** One record of a tree file, flattened: its type, text fields and where it is. */
export interface TreeRow {
  type: string;
  /** Field API name → text ('' for null); parent fields as `Account.Name`. */
  fields: Record<string, string>;
  /** The record's Id, else its referenceId. */
  key: string;
  where: string;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function isChildList(value: unknown): value is { records: unknown[] } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Array.isArray((value as { records?: unknown }).records)
  );
}

/**
 * Flattens one sObject tree record and its nested child relationships (`Contacts: {records:
 * [...]}`), parents first. A nested child without its lookup to the parent gets it
 * (`AccountId` under an Account), as the tree import resolves it; `@Ref` references lose the `@`.
 */
function* flatten(
  record: unknown,
  where: string,
  canonical: (name: string) => string,
  parent: { type: string; key: string } | null,
  fallbackType: string | null
): Generator<TreeRow> {
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    throw new ExportFormatError(`${where}: not an sObject record.`);
  const attributes = (record as { attributes?: { type?: unknown; referenceId?: unknown } })
    .attributes;
  const type = typeof attributes?.type === 'string' ? attributes.type : fallbackType;
  if (!type)
    throw new ExportFormatError(
      `${where}: no attributes.type; an sObject tree record names its type.`
    );
  const fields: Record<string, string> = {};
  const children: [string, unknown[]][] = [];
  for (const [name, value] of Object.entries(record as Record<string, unknown>)) {
    if (name === 'attributes') continue;
    if (isChildList(value)) children.push([name, value.records]);
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [sub, subValue] of Object.entries(value as Record<string, unknown>))
        if (sub !== 'attributes') fields[`${canonical(name)}.${sub}`] = text(subValue);
    } else {
      const key = canonical(name);
      const value_ = text(value);
      fields[key] = /Id$/.test(key) && value_.startsWith('@') ? value_.slice(1) : value_;
    }
  }
  if (parent && !fields[`${parent.type}Id`]) fields[`${parent.type}Id`] = parent.key;
  const reference = typeof attributes?.referenceId === 'string' ? attributes.referenceId : '';
  const key = fields.Id || reference;
  yield { type, fields, key, where };
  for (const [relationship, records] of children)
    for (let i = 0; i < records.length; i++)
      yield* flatten(
        records[i],
        `${where} ${relationship}[${i + 1}]`,
        canonical,
        { type, key },
        null
      );
}

/**
 * Streams the records of an sObject tree file (`{"records": [...]}`, as `sf data export tree`
 * writes it) or a JSON array of records a read chunk at a time, each top-level record flattened
 * with its children: memory holds one chunk's records, whatever the file's size.
 */
export async function* readTreeRowBatches(
  entry: Pick<ExportEntry, 'where' | 'open'>,
  known: readonly string[],
  fallbackType: string | null = null
): AsyncGenerator<TreeRow[]> {
  const names = new Map(known.map((n) => [n.toLowerCase(), n]));
  const canonical = (name: string) => names.get(name.toLowerCase()) ?? name;
  const source = await entry.open();
  const records = jsonRecordBatches(source, entry.where);
  let index = 0;
  let sawRecords = false;
  for (;;) {
    const next = await records.next();
    if (next.done) {
      sawRecords = next.value;
      break;
    }
    const rows: TreeRow[] = [];
    for (const record of next.value) {
      index++;
      for (const row of flatten(
        record,
        `${entry.where}: record ${index}`,
        canonical,
        null,
        fallbackType
      ))
        rows.push(row);
    }
    yield rows;
  }
  if (!sawRecords)
    throw new ExportFormatError(
      `${entry.where}: no "records" array; not an sObject tree or query result export.`
    );
}

/** The rows of a tree file one at a time (see readTreeRowBatches). */
export async function* readTreeRows(
  entry: Pick<ExportEntry, 'where' | 'open'>,
  known: readonly string[],
  fallbackType: string | null = null
): AsyncGenerator<TreeRow> {
  for await (const rows of readTreeRowBatches(entry, known, fallbackType)) yield* rows;
}

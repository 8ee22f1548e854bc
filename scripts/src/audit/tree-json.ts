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
 * [...]}`) into `rows`, parents first. A nested child without its lookup to the parent gets it
 * (`AccountId` under an Account), as the tree import resolves it; `@Ref` references lose the `@`.
 * Pushes rather than yields: a generator per record cost more than reading its fields.
 */
function flatten(
  record: unknown,
  where: string,
  canonical: (name: string) => string,
  parent: { type: string; key: string } | null,
  fallbackType: string | null,
  rows: TreeRow[]
): void {
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    throw new ExportFormatError(`${where}: not an sObject record.`);
  const values = record as Record<string, unknown>;
  const attributes = values.attributes as { type?: unknown; referenceId?: unknown } | undefined;
  const type = typeof attributes?.type === 'string' ? attributes.type : fallbackType;
  if (!type)
    throw new ExportFormatError(
      `${where}: no attributes.type; an sObject tree record names its type.`
    );
  const fields: Record<string, string> = {};
  let children: [string, unknown[]][] | null = null;
  for (const name in values) {
    if (name === 'attributes') continue;
    const value = values[name];
    if (typeof value === 'string') {
      const key = canonical(name);
      fields[key] = value.charCodeAt(0) === 64 && key.endsWith('Id') ? value.slice(1) : value;
    } else if (typeof value !== 'object' || value === null) fields[canonical(name)] = text(value);
    else if (isChildList(value)) (children ??= []).push([name, value.records]);
    else if (!Array.isArray(value)) {
      const prefix = `${canonical(name)}.`;
      const sub = value as Record<string, unknown>;
      for (const subName in sub)
        if (subName !== 'attributes') fields[prefix + subName] = text(sub[subName]);
    } else fields[canonical(name)] = text(value);
  }
  if (parent && !fields[`${parent.type}Id`]) fields[`${parent.type}Id`] = parent.key;
  const reference = typeof attributes?.referenceId === 'string' ? attributes.referenceId : '';
  const key = fields.Id || reference;
  rows.push({ type, fields, key, where });
  if (children)
    for (const [relationship, records] of children)
      for (let i = 0; i < records.length; i++)
        flatten(
          records[i],
          `${where} ${relationship}[${i + 1}]`,
          canonical,
          { type, key },
          null,
          rows
        );
}

/**
 * Field names in their canonical spelling (API names are case-insensitive), remembered per
 * spelling seen: a file repeats the same few names on every record.
 */
function canonicalNames(known: readonly string[]): (name: string) => string {
  const names = new Map(known.map((n) => [n.toLowerCase(), n]));
  const seen = new Map<string, string>();
  return (name) => {
    let found = seen.get(name);
    if (found === undefined) {
      found = names.get(name.toLowerCase()) ?? name;
      // Bounded: a file naming endless distinct fields must not grow memory with its size.
      if (seen.size < 10_000) seen.set(name, found);
    }
    return found;
  };
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
  const canonical = canonicalNames(known);
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
      flatten(record, `${entry.where}: record ${index}`, canonical, null, fallbackType, rows);
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

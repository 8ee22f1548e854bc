import { ExportFormatError } from '../audit-chain/export-format-error';
import type { ExportEntry } from './export-container';
import { jsonRecordBatches } from './json-records';

/**
 * One record of a tree file, flattened: its type, text fields and where it is. An ExportRow as it
 * stands (the audit takes it without a copy); its place is written only when asked for (a string
 * per record cost more than reading its fields).
 */
export class TreeRow {
  constructor(
    readonly type: string,
    /** Field API name → text ('' for null); parent fields as `Account.Name`. */
    readonly fields: Record<string, string>,
    /** The record's Id, else its referenceId. */
    readonly key: string,
    private readonly file: string,
    private readonly index: number,
    /** A nested child's path under its top-level record (` Contacts[2]`), else ''. */
    private readonly path: string
  ) {}

  /** `file: record N`, and the child's path for a nested record. */
  get where(): string {
    return `${this.file}: record ${this.index}${this.path}`;
  }
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

/** Field names seen per record type, in the order first seen (what the audit's controls need). */
export type TreeColumns = Map<string, Set<string>>;

/**
 * Canonical field names (API names are case-insensitive) per record type, and the columns each
 * type's records carry. Both are kept per spelling seen: a file repeats the same few names on
 * every record, so a record's columns cost a lookup per name and nothing per record.
 */
class FieldNames {
  private readonly canonical: Map<string, string>;
  private readonly types = new Map<
    string,
    { spellings: Map<string, string>; columns: Set<string> }
  >();
  constructor(
    known: readonly string[],
    readonly columns: TreeColumns
  ) {
    this.canonical = new Map(known.map((n) => [n.toLowerCase(), n]));
  }

  /** The names of one type's records: a field name's canonical spelling, noted as a column. */
  of(type: string): { spellings: Map<string, string>; columns: Set<string> } {
    let names = this.types.get(type);
    if (!names) {
      let columns = this.columns.get(type);
      if (!columns) this.columns.set(type, (columns = new Set()));
      this.types.set(type, (names = { spellings: new Map(), columns }));
    }
    return names;
  }

  /** A name's canonical spelling, not noted as a column (a relationship's name). */
  spelling(name: string): string {
    return this.canonical.get(name.toLowerCase()) ?? name;
  }
}

/** A field name's canonical spelling for records of `names`, noted as one of their columns. */
function column(
  names: { spellings: Map<string, string>; columns: Set<string> },
  fieldNames: FieldNames,
  name: string
): string {
  let found = names.spellings.get(name);
  if (found === undefined) {
    found = fieldNames.spelling(name);
    names.columns.add(found);
    // Bounded: a file naming endless distinct fields must not grow memory with its size.
    if (names.spellings.size < 10_000) names.spellings.set(name, found);
  }
  return found;
}

/** Where a top-level record is, and its path for a nested one. */
interface Place {
  file: string;
  index: number;
  path: string;
}

const placeText = (place: Place) => `${place.file}: record ${place.index}${place.path}`;

/**
 * Flattens one sObject tree record and its nested child relationships (`Contacts: {records:
 * [...]}`) into `rows`, parents first. A nested child without its lookup to the parent gets it
 * (`AccountId` under an Account), as the tree import resolves it; `@Ref` references lose the `@`.
 * Pushes rather than yields: a generator per record cost more than reading its fields.
 */
function flatten(
  record: unknown,
  place: Place,
  fieldNames: FieldNames,
  parent: { type: string; key: string } | null,
  fallbackType: string | null,
  rows: TreeRow[]
): void {
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    throw new ExportFormatError(`${placeText(place)}: not an sObject record.`);
  const values = record as Record<string, unknown>;
  const attributes = values.attributes as { type?: unknown; referenceId?: unknown } | undefined;
  const type = typeof attributes?.type === 'string' ? attributes.type : fallbackType;
  if (!type)
    throw new ExportFormatError(
      `${placeText(place)}: no attributes.type; an sObject tree record names its type.`
    );
  const names = fieldNames.of(type);
  const fields: Record<string, string> = {};
  let children: [string, unknown[]][] | null = null;
  for (const name in values) {
    if (name === 'attributes') continue;
    const value = values[name];
    if (typeof value === 'string') {
      const key = column(names, fieldNames, name);
      fields[key] = value.charCodeAt(0) === 64 && key.endsWith('Id') ? value.slice(1) : value;
    } else if (typeof value !== 'object' || value === null)
      fields[column(names, fieldNames, name)] = text(value);
    else if (isChildList(value)) (children ??= []).push([name, value.records]);
    else if (!Array.isArray(value)) {
      const prefix = `${fieldNames.spelling(name)}.`;
      const sub = value as Record<string, unknown>;
      for (const subName in sub)
        if (subName !== 'attributes') {
          names.columns.add(prefix + subName);
          fields[prefix + subName] = text(sub[subName]);
        }
    } else fields[column(names, fieldNames, name)] = text(value);
  }
  if (parent && !fields[`${parent.type}Id`]) {
    names.columns.add(`${parent.type}Id`);
    fields[`${parent.type}Id`] = parent.key;
  }
  const reference = typeof attributes?.referenceId === 'string' ? attributes.referenceId : '';
  const key = fields.Id || reference;
  rows.push(new TreeRow(type, fields, key, place.file, place.index, place.path));
  if (children)
    for (const [relationship, records] of children)
      for (let i = 0; i < records.length; i++)
        flatten(
          records[i],
          { file: place.file, index: place.index, path: `${place.path} ${relationship}[${i + 1}]` },
          fieldNames,
          { type, key },
          null,
          rows
        );
}

/**
 * Streams the records of an sObject tree file (`{"records": [...]}`, as `sf data export tree`
 * writes it) or a JSON array of records a read chunk at a time, each top-level record flattened
 * with its children: memory holds one chunk's records, whatever the file's size. `columns`
 * collects the field names each record type carries, as they are first seen.
 */
export async function* readTreeRowBatches(
  entry: Pick<ExportEntry, 'where' | 'open'>,
  known: readonly string[],
  fallbackType: string | null = null,
  columns: TreeColumns = new Map()
): AsyncGenerator<TreeRow[]> {
  const fieldNames = new FieldNames(known, columns);
  const source = await entry.open();
  const records = jsonRecordBatches(source, entry.where);
  const place: Place = { file: entry.where, index: 0, path: '' };
  let sawRecords = false;
  for (;;) {
    const next = await records.next();
    if (next.done) {
      sawRecords = next.value;
      break;
    }
    const rows: TreeRow[] = [];
    for (const record of next.value) {
      place.index++;
      flatten(record, place, fieldNames, null, fallbackType, rows);
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

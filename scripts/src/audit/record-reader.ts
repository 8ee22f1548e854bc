import { ExportFormatError } from '../audit-chain/export-format-error';
import { GOVERNED_OBJECTS } from '../provenance-model/schema';
import { columnsOf } from '../seed/export-layout';
import { CsvInput, readCsvRecordBatches } from './csv-stream';

/** One exported record: field API name → text, plus where it came from. */
export interface ExportRow {
  fields: Record<string, string>;
  where: string;
  /** Tree records without an Id: their referenceId. */
  key?: string;
}

/** Every column an object export may carry, in canonical spelling. */
export const KNOWN_COLUMNS = [
  ...new Set([
    ...GOVERNED_OBJECTS.flatMap((o) => columnsOf(o)),
    'LastModifiedDate',
    'SystemModstamp',
    'OwnerId'
  ])
];

/**
 * Streams the rows of one object's CSV export (Bulk API 2.0, Data Loader, Data Export). Header
 * names matching the package's columns in another case (Data Loader writes `ID`,
 * `SYNTHETIC_DATA__C`) take their canonical spelling.
 */
export async function* readCsvRows(file: CsvInput, required: string[]): AsyncGenerator<ExportRow> {
  for await (const rows of readCsvRowBatches(file, required)) yield* rows;
}

/** readCsvRows in the parser's batches: one await per batch, not per row. */
export async function* readCsvRowBatches(
  file: CsvInput,
  required: string[]
): AsyncGenerator<ExportRow[]> {
  const name = typeof file === 'string' ? file : file.where;
  const checkHeader = (header: string[]) => {
    const present = new Set(header.map((h) => h.toLowerCase()));
    const missing = required.filter((c) => !present.has(c.toLowerCase()));
    if (missing.length)
      throw new ExportFormatError(`${name}: missing column(s) ${missing.join(', ')}.`);
  };
  for await (const records of readCsvRecordBatches(file, KNOWN_COLUMNS, checkHeader))
    yield records.map(({ fields, line }) => ({ fields, where: `${name}:${line}` }));
}

/** Field lookup on a row (readers give columns their canonical spelling). */
export function field(row: ExportRow, name: string): string {
  return row.fields[name] ?? '';
}

/** A checkbox as exports write it: `true`/`false` (API, Data Export) or `1`/`0` (reports, some loaders). */
export function checkbox(value: string): boolean {
  const v = value.trim().toLowerCase();
  return v === 'true' || v === '1';
}

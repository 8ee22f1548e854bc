import fs from 'node:fs';
import { ExportFormatError } from '../audit-chain/export-format-error';
import { GOVERNED_OBJECTS } from '../provenance-model/schema';
import { columnsOf } from '../seed/export-layout';
import { readCsvRecords } from './csv-stream';

/** One exported record: field API name → text, plus where it came from. */
export interface ExportRow {
  fields: Record<string, string>;
  where: string;
}

/** Every column an object export may carry, in canonical spelling. */
const KNOWN_COLUMNS = [...new Set(GOVERNED_OBJECTS.flatMap((o) => columnsOf(o)))];

/**
 * Streams the rows of one object's CSV export (Bulk API 2.0 or data export service). Header
 * names matching the package's columns in another case take their canonical spelling.
 */
export async function* readCsvRows(file: string, required: string[]): AsyncGenerator<ExportRow> {
  const head = Buffer.alloc(512);
  const handle = await fs.promises.open(file, 'r');
  const { bytesRead } = await handle.read(head, 0, 512, 0);
  await handle.close();
  if (head.subarray(0, bytesRead).includes(0))
    throw new ExportFormatError(
      `${file}: binary data, not a CSV export (UTF-16 or a spreadsheet?). Export as UTF-8 CSV.`
    );
  const checkHeader = (header: string[]) => {
    const present = new Set(header.map((h) => h.toLowerCase()));
    const missing = required.filter((c) => !present.has(c.toLowerCase()));
    if (missing.length)
      throw new ExportFormatError(`${file}: missing column(s) ${missing.join(', ')}.`);
  };
  for await (const { fields, line } of readCsvRecords(file, KNOWN_COLUMNS, checkHeader))
    yield { fields, where: `${file}:${line}` };
}

/** Field lookup on a row (readers give columns their canonical spelling). */
export function field(row: ExportRow, name: string): string {
  return row.fields[name] ?? '';
}

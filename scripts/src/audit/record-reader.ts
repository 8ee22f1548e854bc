import { parse } from 'csv-parse';
import fs from 'node:fs';
import { ExportFormatError } from '../audit-chain/export-reader';

/** One exported record: field API name → text, plus where it came from. */
export interface ExportRow {
  fields: Record<string, string>;
  where: string;
}

/**
 * Streams the rows of one object's CSV export (Bulk API 2.0 or data export service). Header
 * names are kept as written; lookups should be case-insensitive (`field()`).
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
    return header;
  };
  const rows = fs
    .createReadStream(file)
    .pipe(
      parse({ columns: checkHeader, bom: true, info: true, max_record_size: 16 * 1024 * 1024 })
    );
  try {
    for await (const { record, info } of rows as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      yield { fields: record, where: `${file}:${info.lines}` };
    }
  } catch (error) {
    if (error instanceof ExportFormatError) throw error;
    const lines = (error as { lines?: number }).lines;
    throw new ExportFormatError(
      `${file}${lines ? `:${lines}` : ''}: not a valid CSV export (${(error as Error).message}).`
    );
  }
}

/** Case-insensitive field lookup on a row. */
export function field(row: ExportRow, name: string): string {
  if (name in row.fields) return row.fields[name] ?? '';
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(row.fields))
    if (key.toLowerCase() === lower) return value;
  return '';
}

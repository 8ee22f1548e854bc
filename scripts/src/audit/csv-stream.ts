import fs from 'node:fs';
import { Readable, Transform, TransformCallback } from 'node:stream';
import Papa from 'papaparse';
import { ExportFormatError } from '../audit-chain/export-format-error';

/** Longest physical line accepted: Salesforce caps a record at 400,000 characters. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Where CSV text comes from: a file path, or a named stream (a zip entry). */
export type CsvInput = string | { where: string; open(): Promise<Readable> };

/** A batch of parsed rows and the file line each one starts on. */
export interface CsvBatch {
  rows: string[][];
  lines: number[];
}

/** Refuses binary input, and a physical line longer than MAX_LINE_BYTES before the parser buffers it. */
class LineLengthGuard extends Transform {
  private run = 0;
  private line = 1;
  private first = true;
  constructor(private readonly file: string) {
    super();
  }
  private tooLong(): ExportFormatError {
    return new ExportFormatError(
      `${this.file}:${this.line}: a line longer than ${MAX_LINE_BYTES / 1024 / 1024} MB; not a Salesforce export (a record holds at most 400,000 characters).`
    );
  }
  override _transform(chunk: Buffer, _encoding: string, callback: TransformCallback): void {
    // A NUL in the first bytes: UTF-16 text or a spreadsheet, not a UTF-8 CSV.
    if (this.first && chunk.subarray(0, 512).includes(0))
      return callback(
        new ExportFormatError(
          `${this.file}: binary data, not a CSV export (UTF-16 or a spreadsheet?). Export as UTF-8 CSV.`
        )
      );
    this.first = false;
    const first = chunk.indexOf(10);
    if (first < 0) this.run += chunk.length;
    else {
      if (this.run + first > MAX_LINE_BYTES) return callback(this.tooLong());
      for (let i = first; i >= 0; i = chunk.indexOf(10, i + 1)) this.line++;
      this.run = chunk.length - chunk.lastIndexOf(10) - 1;
    }
    if (this.run > MAX_LINE_BYTES) return callback(this.tooLong());
    callback(null, chunk);
  }
}

function newlines(row: string[]): number {
  let n = 0;
  for (const value of row) if (value.includes('\n')) n += value.split('\n').length - 1;
  return n;
}

/**
 * Streams a CSV export in batches with Papa Parse (several times faster than csv-parse on
 * exports, which the audit's throughput goal needs), one await per batch rather than per row.
 * Yields the header first (as a batch of one row), then the data rows with their line numbers;
 * a row with the wrong number of fields or an unterminated quote is an error naming file:line.
 */
export async function* readCsvBatches(source: CsvInput): AsyncGenerator<CsvBatch> {
  const file = typeof source === 'string' ? source : source.where;
  const pending: CsvBatch[] = [];
  let finished = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  let line = 1;
  let width = -1;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const raw =
    typeof source === 'string'
      ? fs.createReadStream(source, { highWaterMark: 1 << 20 })
      : await source.open();
  const input = raw.pipe(new LineLengthGuard(file));
  raw.on('error', (error: Error) => input.destroy(error));
  input.on('error', (error) => {
    failure = error;
    notify();
  });
  input.setEncoding('utf8');
  Papa.parse<string[]>(input as unknown as NodeJS.ReadableStream, {
    skipEmptyLines: true,
    chunk: (results) => {
      // Backpressure: Papa's own pause() leaves a Node stream flowing, so pause the source.
      input.pause();
      const quoteError = results.errors.find((e) => e.type === 'Quotes');
      const batch: CsvBatch = { rows: [], lines: [] };
      for (const row of results.data) {
        if (width < 0) {
          width = row.length;
          if (row[0]?.charCodeAt(0) === 0xfeff) row[0] = row[0].slice(1);
        } else if (row.length !== width && !failure) {
          failure = new ExportFormatError(
            `${file}:${line}: not a valid CSV export (${row.length} fields where the header has ${width}).`
          );
        }
        batch.rows.push(row);
        batch.lines.push(line);
        line += 1 + newlines(row);
      }
      if (quoteError && !failure)
        failure = new ExportFormatError(
          `${file}:${batch.lines[quoteError.row ?? 0] ?? line}: not a valid CSV export (${quoteError.message}).`
        );
      pending.push(batch);
      notify();
    },
    complete: () => {
      finished = true;
      notify();
    },
    error: (error: Error) => {
      failure = new ExportFormatError(`${file}: not a valid CSV export (${error.message}).`);
      notify();
    }
  });
  for (;;) {
    const batch = pending.shift();
    if (batch) {
      if (failure) throw failure as Error;
      yield batch;
      if (!pending.length) input.resume();
      continue;
    }
    if (failure) throw failure as Error;
    if (finished) return;
    await new Promise<void>((resolve) => (wake = resolve));
  }
}

/**
 * Streams a CSV as records keyed by header name. Header names that match `known` column names
 * case-insensitively take their canonical spelling, so lookups need no case folding per row.
 */
export async function* readCsvRecords(
  file: CsvInput,
  known: readonly string[],
  checkHeader: (header: string[]) => void
): AsyncGenerator<{ fields: Record<string, string>; line: number }> {
  const canonical = new Map(known.map((name) => [name.toLowerCase(), name]));
  let header: string[] | null = null;
  for await (const batch of readCsvBatches(file)) {
    let start = 0;
    if (!header) {
      header = (batch.rows[0] ?? []).map((h) => canonical.get(h.toLowerCase()) ?? h);
      checkHeader(header);
      start = 1;
    }
    for (let i = start; i < batch.rows.length; i++) {
      const row = batch.rows[i]!;
      const fields: Record<string, string> = {};
      for (let c = 0; c < header.length; c++) fields[header[c]!] = row[c] ?? '';
      yield { fields, line: batch.lines[i]! };
    }
  }
  if (!header) checkHeader([]);
}

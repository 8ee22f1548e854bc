import fs from 'node:fs';
import { Readable, Transform, TransformCallback } from 'node:stream';
import Papa from 'papaparse';
import { ExportFormatError } from '../audit-chain/export-format-error';

/** Longest physical line accepted: Salesforce caps a record at 400,000 characters. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Characters handed to Papa Parse at a time. */
const PARSE_PIECE = 64 * 1024;

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
  /** Physical lines started so far (1 + line feeds seen). */
  line = 1;
  private first = true;
  /** Bytes of a UTF-8 character cut by the chunk boundary, kept for the next chunk. */
  private carry: Buffer | null = null;
  constructor(private readonly file: string) {
    // Emits text: decoding here with Buffer#toString is much cheaper than a StringDecoder
    // (setEncoding), which cost a quarter of the parse on a large export.
    super({ readableObjectMode: true });
  }
  /** The text of a chunk up to its last whole UTF-8 character; the rest waits for the next. */
  private decode(chunk: Buffer): string {
    const bytes = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    let end = bytes.length;
    // Back up over continuation bytes (10xxxxxx) to a lead byte; keep it if its sequence is cut.
    let lead = end - 1;
    while (lead >= 0 && lead > end - 4 && (bytes[lead]! & 0xc0) === 0x80) lead--;
    if (lead >= 0) {
      const b = bytes[lead]!;
      const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (lead + size > end) end = lead;
    }
    this.carry = end < bytes.length ? Buffer.from(bytes.subarray(end)) : null;
    return bytes.toString('utf8', 0, end);
  }
  override _flush(callback: TransformCallback): void {
    callback(null, this.carry ? this.carry.toString('utf8') : undefined);
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
    const text = this.decode(chunk);
    // Papa Parse slows down with chunk size (a search that finds nothing scans to the end of the
    // chunk): a 1 MiB chunk parsed 4× slower than the same bytes in 64 KiB pieces.
    for (let at = 0; at < text.length; at += PARSE_PIECE)
      this.push(text.slice(at, at + PARSE_PIECE));
    callback();
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
  const guard = new LineLengthGuard(file);
  const input = raw.pipe(guard);
  raw.on('error', (error: Error) => input.destroy(error));
  input.on('error', (error) => {
    failure = error;
    notify();
  });
  Papa.parse<string[]>(input as unknown as NodeJS.ReadableStream, {
    skipEmptyLines: true,
    chunk: (results) => {
      // Backpressure: Papa's own pause() leaves a Node stream flowing, so pause the source.
      input.pause();
      const quoteError = results.errors.find((e) => e.type === 'Quotes');
      const batch: CsvBatch = { rows: [], lines: [] };
      // When every line feed the guard has seen ends a row given so far, no value holds a line
      // break, and rows are numbered without scanning their values (a full second pass).
      const plain = guard.line === line + results.data.length;
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
        line += plain ? 1 : 1 + newlines(row);
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

/** One CSV record keyed by header name, and the file line it starts on. */
export interface CsvRecord {
  fields: Record<string, string>;
  line: number;
}

/**
 * Streams a CSV as batches of records keyed by header name (one await per batch: a per-row
 * async yield through every reader layer cost more than parsing). Header names that match
 * `known` column names case-insensitively take their canonical spelling, so lookups need no
 * case folding per row.
 */
export async function* readCsvRecordBatches(
  file: CsvInput,
  known: readonly string[],
  checkHeader: (header: string[]) => void
): AsyncGenerator<CsvRecord[]> {
  const canonical = new Map(known.map((name) => [name.toLowerCase(), name]));
  let header: string[] | null = null;
  let template: Record<string, string> = {};
  for await (const batch of readCsvBatches(file)) {
    let start = 0;
    if (!header) {
      header = (batch.rows[0] ?? []).map((h) => canonical.get(h.toLowerCase()) ?? h);
      checkHeader(header);
      template = Object.fromEntries(header.map((name) => [name, '']));
      start = 1;
    }
    const records: CsvRecord[] = [];
    for (let i = start; i < batch.rows.length; i++) {
      const row = batch.rows[i]!;
      // A copy of one object with every column already in place: each row shares its shape, so
      // the stores below change no hidden class (building each row key by key cost more).
      const fields = { ...template };
      for (let c = 0; c < header.length; c++) fields[header[c]!] = row[c] ?? '';
      records.push({ fields, line: batch.lines[i]! });
    }
    if (records.length) yield records;
  }
  if (!header) checkHeader([]);
}

/** Streams a CSV as records keyed by header name, one at a time (see readCsvRecordBatches). */
export async function* readCsvRecords(
  file: CsvInput,
  known: readonly string[],
  checkHeader: (header: string[]) => void
): AsyncGenerator<CsvRecord> {
  for await (const records of readCsvRecordBatches(file, known, checkHeader)) yield* records;
}

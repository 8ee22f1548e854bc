import fs from 'node:fs';
import type { Readable } from 'node:stream';
import Papa from 'papaparse';
import { ExportFormatError } from '../audit-chain/export-format-error';
import { scanCsvRows } from './csv-scanner';

/** Longest physical line accepted: Salesforce caps a record at 400,000 characters. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Bytes decoded and handed to Papa Parse at a time. Decoding a 1 MiB read in one string cost 15×
 * more than the same bytes in 64 KiB pieces (a string that large is allocated outside V8's young
 * generation), and Papa slows down with the size of its input (a search that finds nothing scans
 * to the end of it).
 */
const PARSE_PIECE = 64 * 1024;

/** Where CSV text comes from: a file path, or a named stream (a zip entry). */
export type CsvInput = string | { where: string; open(): Promise<Readable> };

/** How readCsvBatches parses. */
export interface CsvReadOptions {
  /**
   * Rows split by scanCsvRows once Papa Parse has read the first piece (and found commas and LF or
   * CRLF line ends there), Papa again for any piece the scanner leaves to it: the same rows, lines
   * and errors at a fraction of the CPU. The audit event reader uses it.
   */
  scanner?: boolean;
  /** Bytes decoded per parse (tests cut pieces small to put boundaries everywhere). */
  pieceBytes?: number;
}

/** One parse of a text: what readCsvBatches uses of Papa Parse's results. */
interface Parsed {
  data: string[][];
  errors: Papa.ParseError[];
  meta: { cursor: number; linebreak: string };
}

/** A batch of parsed rows and the file line each one starts on. */
export interface CsvBatch {
  rows: string[][];
  lines: number[];
}

/** Papa Parse's per-file parser (what `Papa.parse` drives for every input): delimiter, line ends. */
interface PapaHandle {
  parse(input: string, baseIndex: number, ignoreLastRow: boolean): Papa.ParseResult<string[]>;
}
const { ParserHandle } = Papa as unknown as {
  ParserHandle: new (config: Papa.ParseConfig<string[]>) => PapaHandle;
};

/** A UTF-8 piece of a read: its text and the line feeds it holds. */
interface Piece {
  text: string;
  lineFeeds: number;
}

/**
 * Refuses binary input, and a physical line longer than MAX_LINE_BYTES before the parser buffers
 * it; cuts each read into pieces of whole UTF-8 characters.
 */
class ByteGuard {
  private run = 0;
  /** Physical lines started so far (1 + line feeds seen). */
  line = 1;
  private first = true;
  /** Bytes of a UTF-8 character cut by the read boundary, kept for the next read. */
  private carry: Buffer | null = null;
  constructor(
    private readonly file: string,
    private readonly pieceBytes = PARSE_PIECE
  ) {}

  private tooLong(): ExportFormatError {
    return new ExportFormatError(
      `${this.file}:${this.line}: a line longer than ${MAX_LINE_BYTES / 1024 / 1024} MB; not a Salesforce export (a record holds at most 400,000 characters).`
    );
  }

  /** Checks a read and cuts it into pieces (a character cut by its end waits for the next read). */
  pieces(chunk: Buffer): Piece[] {
    // A NUL in the first bytes: UTF-16 text or a spreadsheet, not a UTF-8 CSV.
    if (this.first && chunk.subarray(0, 512).includes(0))
      throw new ExportFormatError(
        `${this.file}: binary data, not a CSV export (UTF-16 or a spreadsheet?). Export as UTF-8 CSV.`
      );
    this.first = false;
    const first = chunk.indexOf(10);
    if (first < 0) this.run += chunk.length;
    else {
      if (this.run + first > MAX_LINE_BYTES) throw this.tooLong();
      this.run = chunk.length - chunk.lastIndexOf(10) - 1;
    }
    const bytes = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    let end = wholeCharacters(bytes, bytes.length);
    // A CR waits for the next read too: Papa refuses a quoted value whose CRLF its input cuts.
    if (end > 0 && bytes[end - 1] === 13) end--;
    this.carry = end < bytes.length ? Buffer.from(bytes.subarray(end)) : null;
    const pieces: Piece[] = [];
    for (let at = 0; at < end;) {
      // Cut before a byte that starts a character: decoding each piece alone gives the same text.
      let to = Math.min(at + this.pieceBytes, end);
      if (to < end) {
        let lead = to;
        while (lead > at && (bytes[lead]! & 0xc0) === 0x80) lead--;
        if (lead > at) to = lead;
        // Not between a CR and its LF (see above).
        if (to - 1 > at && bytes[to - 1] === 13) to--;
      }
      // Counted in the text: a string search costs less than a Buffer search per line.
      const text = bytes.toString('utf8', at, to);
      pieces.push({ text, lineFeeds: countLineFeeds(text) });
      at = to;
    }
    this.line += pieces.reduce((n, p) => n + p.lineFeeds, 0);
    if (this.run > MAX_LINE_BYTES) throw this.tooLong();
    return pieces;
  }

  /** What is left when the input ends (an incomplete character decodes as U+FFFD). */
  rest(): string {
    return this.carry ? this.carry.toString('utf8') : '';
  }
}

/** Where `bytes` up to `end` stops at a whole UTF-8 character (a cut sequence is left out). */
export function wholeCharacters(bytes: Buffer, end: number): number {
  // Back up over continuation bytes (10xxxxxx) to a lead byte; leave it out if its sequence is cut.
  let lead = end - 1;
  while (lead >= 0 && lead > end - 4 && (bytes[lead]! & 0xc0) === 0x80) lead--;
  if (lead >= 0) {
    const b = bytes[lead]!;
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (lead + size > end) return lead;
  }
  return end;
}

function newlines(row: string[]): number {
  let n = 0;
  for (const value of row) if (value.includes('\n')) n += value.split('\n').length - 1;
  return n;
}

function countLineFeeds(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Bytes read from a file at a time. */
const READ_BYTES = 1 << 20;

/**
 * A file's bytes, a megabyte at a time into one buffer (each read is decoded before the next):
 * a read stream allocated a buffer per read and, when reads queued up, joined them into another.
 */
async function* fileChunks(file: string): AsyncGenerator<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** Pieces of the input's text, checked by the guard; a read error is an export format error. */
async function* piecesOf(source: CsvInput, guard: ByteGuard, file: string): AsyncGenerator<Piece> {
  const raw = typeof source === 'string' ? fileChunks(source) : await source.open();
  try {
    for await (const chunk of raw as AsyncIterable<Buffer>) yield* guard.pieces(chunk);
  } catch (error) {
    // Worded as the parser's stream errors always were (the guard's own sentence inside).
    throw new ExportFormatError(`${file}: not a valid CSV export (${(error as Error).message}).`);
  }
  const rest = guard.rest();
  if (rest) yield { text: rest, lineFeeds: countLineFeeds(rest) };
}

/**
 * Streams a CSV export in batches with Papa Parse (several times faster than csv-parse on
 * exports, which the audit's throughput goal needs), one batch per 64 KiB piece, so one await per
 * batch rather than per row. Yields the header (the first row of the first batch) and the data rows
 * with the file line each starts on; a row with the wrong number of fields or an unterminated quote is an error
 * naming file:line.
 */
export async function* readCsvBatches(
  source: CsvInput,
  options: CsvReadOptions = {}
): AsyncGenerator<CsvBatch> {
  const file = typeof source === 'string' ? source : source.where;
  // Papa.parse drives this handle the same way over a stream: each piece is parsed after the
  // previous one's incomplete last row, which waits (ignoreLastRow) until the input ends.
  const handle = new ParserHandle({ skipEmptyLines: true });
  // Papa guesses the delimiter and the line end from the first piece; the scanner takes over
  // only when they are a comma and LF or CRLF.
  let newline: '\n' | '\r\n' | null = null;
  let papaParsed = false;
  const parse = (text: string, at: number, partial: boolean): Parsed => {
    const scanned = newline ? scanCsvRows(text, newline, partial) : null;
    if (scanned)
      return {
        data: scanned.rows,
        errors: [],
        meta: { cursor: at + scanned.cursor, linebreak: newline! }
      };
    const results = handle.parse(text, at, partial);
    if (options.scanner && !papaParsed && results.meta.delimiter === ',')
      if (results.meta.linebreak === '\n' || results.meta.linebreak === '\r\n')
        newline = results.meta.linebreak;
    papaParsed = true;
    return results;
  };
  const guard = new ByteGuard(file, options.pieceBytes);
  let partial = '';
  let base = 0;
  let line = 1;
  let width = -1;
  /** Line feeds of the text the parser has consumed (turned into rows or skipped). */
  let consumed = 0;
  let fed = 0;
  const batchOf = (results: Parsed, plain: boolean): CsvBatch => {
    const batch: CsvBatch = { rows: results.data, lines: new Array<number>(results.data.length) };
    let failure: ExportFormatError | null = null;
    for (let i = 0; i < results.data.length; i++) {
      const row = results.data[i]!;
      if (width < 0) {
        width = row.length;
        if (row[0]?.charCodeAt(0) === 0xfeff) row[0] = row[0].slice(1);
      } else if (row.length !== width && !failure) {
        failure = new ExportFormatError(
          `${file}:${line}: not a valid CSV export (${row.length} fields where the header has ${width}).`
        );
      }
      batch.lines[i] = line;
      line += plain ? 1 : 1 + newlines(row);
    }
    if (failure) throw failure;
    const quoteError = results.errors.find((e) => e.type === 'Quotes');
    if (quoteError)
      throw new ExportFormatError(
        `${file}:${batch.lines[quoteError.row ?? 0] ?? line}: not a valid CSV export (${quoteError.message}).`
      );
    return batch;
  };
  for await (const piece of piecesOf(source, guard, file)) {
    const text = partial + piece.text;
    fed += piece.lineFeeds;
    const results = parse(text, base, true);
    partial = text.substring(results.meta.cursor - base);
    base = results.meta.cursor;
    const before = consumed;
    consumed = fed - countLineFeeds(partial);
    // Each row given ends with a line feed; when they are all the parser consumed, no value
    // holds a line break (nor was an empty line skipped), and rows are numbered without scanning
    // their values. With bare CR line ends, line feeds are inside values.
    const plain = results.meta.linebreak !== '\r' && consumed - before === results.data.length;
    // A quote error is one even when its row is not complete yet.
    const batch = batchOf(results, plain);
    if (batch.rows.length) yield batch;
  }
  // The end: the last row needs no line end, and an open quote is now an error.
  const batch = batchOf(parse(partial, base, false), false);
  if (batch.rows.length) yield batch;
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

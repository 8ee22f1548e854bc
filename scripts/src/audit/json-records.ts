import type { Readable } from 'node:stream';
import { ExportFormatError } from '../audit-chain/export-format-error';
import { wholeCharacters } from './csv-stream';

/**
 * Streams the records of a JSON export (`{"records": [...]}` or a top-level array) one record at
 * a time: a scanner finds each record's text (strings, escapes and nesting tracked) and
 * `JSON.parse` reads it. Several times faster than a token-by-token streaming parser, and memory
 * holds one record, whatever the file's size. Returns whether a records array was found.
 */
export async function* jsonRecords(
  source: Readable,
  where: string
): AsyncGenerator<unknown, boolean> {
  const batches = jsonRecordBatches(source, where);
  for (;;) {
    const next = await batches.next();
    if (next.done) return next.value;
    yield* next.value;
  }
}

/**
 * The records of a JSON export a decoded piece at a time (see jsonRecords): one await per piece,
 * not per record, which cost more than parsing a tree file's records.
 *
 * Inside the records array, a piece's whole records are first read by one `JSON.parse` up to
 * the last `}` that a comma and a `{` (or the array's `]`) follow: when that parses as an array
 * of objects, the cut was a record's end (JSON cannot parse text cut inside a string or a nested
 * value), and no character of the records was looked at in JavaScript. When it does not parse
 * (a nested child list, a string holding `},{`, a bad record), the scanner reads the same text:
 * it tracks strings, escapes and nesting, jumps from quote to quote inside a string (`indexOf`),
 * parses the whole records it finds, and, when that fails, parses them one at a time so the
 * error names the record. After a few misses in a file the scanner reads the rest of it.
 */
export async function* jsonRecordBatches(
  source: Readable,
  where: string
): AsyncGenerator<unknown[], boolean> {
  const scanner = new RecordScanner(where);
  let index = 0;
  // The text since the last record read by the fast path: it starts between two records.
  let pending = '';
  let misses = 0;
  /** The scanner's reading of `text`: the records that end in it (null for none). */
  const scanned = (text: string): unknown[] | null => {
    const spans = scanner.scan(text, index);
    const records = spans.length
      ? parseRecords(scanner.carry, text, spans, index, scanner.bad)
      : null;
    scanner.keep(text, spans.length > 0);
    if (records) index += records.length;
    if (misses < MAX_MISSES && scanner.inRecord) pending = scanner.reopen();
    return records;
  };
  for await (const pieces of textPieces(source)) {
    for (const piece of pieces) {
      let text = piece;
      if (misses < MAX_MISSES && scanner.betweenRecords()) {
        const full = pending.length ? pending + text : text;
        pending = '';
        const cut = recordsEnd(full, scanner.separator === 1);
        if (cut === null) {
          // No record ends here (or the array's end is still to come): wait for more text.
          pending = full;
          continue;
        }
        const records = cut.end > 0 ? parsedRecords(full, cut.start, cut.end) : [];
        if (records) {
          if (records.length) {
            index += records.length;
            yield records;
          }
          text = full.slice(cut.next);
          if (cut.end > 0) scanner.separator = cut.closes ? 1 : 2;
          if (!cut.closes) {
            pending = text;
            continue;
          }
          // The array's end: the scanner reads it and what follows.
        } else {
          misses++;
          text = full;
        }
      }
      const records = scanned(text);
      if (records) yield records;
    }
  }
  if (pending) {
    const records = scanned(pending);
    if (records) yield records;
  }
  return scanner.end();
}

/** Misses of the fast path (see jsonRecordBatches) after which the scanner reads the rest. */
const MAX_MISSES = 3;

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * Where the whole records of `text` (read from between two records; `afterRecord`: before the
 * comma that follows one) may end: `start` is the first record's `{`, `end` just past the last
 * `}` that a comma and a `{` follow, or the array's `]` (`closes`), `next` where the text after it
 * starts (the next record's `{`, or the `]`). An `end` of 0: the text does not start with a
 * record (the array's end, or an error); the scanner reads it all. Null when no such `}` is in
 * the text yet.
 */
function recordsEnd(
  text: string,
  afterRecord: boolean
): { start: number; end: number; next: number; closes: boolean } | null {
  const toScanner = { start: 0, end: 0, next: 0, closes: true };
  const length = text.length;
  let start = 0;
  while (start < length && isSpace(text.charCodeAt(start))) start++;
  if (afterRecord && start < length) {
    if (text.charCodeAt(start) !== 44) return toScanner;
    start++;
    while (start < length && isSpace(text.charCodeAt(start))) start++;
  }
  if (start >= length) return null;
  if (text.charCodeAt(start) !== 123) return toScanner;
  for (let brace = text.lastIndexOf('}'); brace > start; brace = text.lastIndexOf('}', brace - 1)) {
    let at = brace + 1;
    while (at < length && isSpace(text.charCodeAt(at))) at++;
    if (at >= length) continue;
    const c = text.charCodeAt(at);
    if (c === 93) return { start, end: brace + 1, next: at, closes: true };
    if (c !== 44) continue;
    at++;
    while (at < length && isSpace(text.charCodeAt(at))) at++;
    if (at < length && text.charCodeAt(at) === 123)
      return { start, end: brace + 1, next: at, closes: false };
  }
  return null;
}

/** The records of `text` from `start` to `end` when they parse as an array of objects, else null. */
function parsedRecords(text: string, start: number, end: number): unknown[] | null {
  let records: unknown[];
  try {
    records = JSON.parse(`[${text.slice(start, end)}]`) as unknown[];
  } catch {
    return null;
  }
  for (const record of records)
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return null;
  return records;
}

/**
 * Finds where each record of a JSON export's records array starts and ends, a piece of text at
 * a time, and keeps the text of a record cut by a piece's end apart (`carry`), so each piece is
 * read as the flat string it is (a concatenation would be re-read through a rope).
 */
class RecordScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Reading a key of the top-level object. */
  private collecting = false;
  private key = '';
  private lastKey = '';
  /** Depth inside the records array; -1 before it, 0 after it. */
  private recordsDepth = -1;
  /** Between records: 0 after the array's `[`, 1 after a record, 2 after a comma. */
  separator = 0;
  private root = 0;
  /** Where the last piece's open record started (-1: in the carry; -2: none). */
  private openAt = -2;
  carry = '';
  inRecord = false;
  readonly bad: (detail: string) => ExportFormatError;

  constructor(private readonly where: string) {
    this.bad = (detail) => new ExportFormatError(`${where}: not valid JSON (${detail}).`);
  }

  /** Inside the records array, outside any record: where the fast path reads. */
  betweenRecords(): boolean {
    return this.recordsDepth > 0 && this.depth === this.recordsDepth && !this.inRecord;
  }

  /** Gives up the open record's text (to be read again from its `{`), between records again. */
  reopen(): string {
    const text = this.carry;
    this.carry = '';
    this.inRecord = false;
    this.inString = false;
    this.escaped = false;
    this.depth = this.recordsDepth;
    this.separator = 2;
    return text;
  }

  /**
   * Scans one piece: the start and end (exclusive) of each whole record ending in it, a start of
   * -1 being the record begun in the carry. `index` is the number of records before it.
   */
  scan(text: string, index: number): number[] {
    let { depth, inString, escaped, collecting, recordsDepth, root, separator } = this;
    const length = text.length;
    const spans: number[] = [];
    let recordStart: number = this.inRecord ? -1 : -2;
    let keyStart = collecting ? 0 : -1;
    for (let i = 0; i < length; i++) {
      if (inString) {
        // Jump to the next quote; it ends the string unless an odd run of backslashes precedes it.
        if (escaped) {
          escaped = false;
          i++;
        }
        const from = i;
        let end = -1;
        while (i < length) {
          const quote = text.indexOf('"', i);
          if (quote < 0) break;
          let k = quote;
          while (k > from && text.charCodeAt(k - 1) === 92) k--;
          if ((quote - k) % 2 === 0) {
            end = quote;
            break;
          }
          i = quote + 1;
        }
        if (end < 0) {
          let k = length;
          while (k > from && text.charCodeAt(k - 1) === 92) k--;
          escaped = (length - k) % 2 === 1;
          break;
        }
        i = end;
        inString = false;
        if (collecting) {
          this.lastKey = this.key + text.slice(keyStart, i);
          collecting = false;
          this.key = '';
        }
        continue;
      }
      const c = text.charCodeAt(i);
      if (isSpace(c)) continue;
      if (!root) {
        if (c !== 123 && c !== 91) throw this.bad('it does not start with { or [');
        root = c;
        if (c === 91) recordsDepth = 1;
      }
      const between = recordsDepth > 0 && depth === recordsDepth && recordStart === -2;
      if (c === 34) {
        if (between)
          throw new ExportFormatError(
            `${this.where}: record ${index + spans.length / 2 + 1} is not an sObject record.`
          );
        inString = true;
        if (depth === 1 && root === 123 && recordsDepth < 0) {
          collecting = true;
          keyStart = i + 1;
        }
        continue;
      }
      if (c === 123 || c === 91) {
        depth++;
        if (recordsDepth < 0 && c === 91 && depth === 2 && this.lastKey === 'records')
          recordsDepth = 2;
        else if (between) {
          const before = index + spans.length / 2;
          if (c !== 123)
            throw new ExportFormatError(
              `${this.where}: record ${before + 1} is not an sObject record.`
            );
          if (separator === 1)
            throw this.bad(`no comma between records ${before} and ${before + 1}`);
          recordStart = i;
        }
        continue;
      }
      if (c === 125 || c === 93) {
        depth--;
        if (depth < 0) throw this.bad('unbalanced brackets');
        if (recordStart !== -2 && depth === recordsDepth) {
          spans.push(recordStart, i + 1);
          recordStart = -2;
          separator = 1;
        } else if (recordsDepth > 0 && depth === recordsDepth - 1) {
          if (separator === 2)
            throw this.bad(`a comma after record ${index + spans.length / 2}, the last`);
          recordsDepth = 0;
        }
        continue;
      }
      if (between) {
        if (c !== 44)
          throw this.bad(
            `unexpected "${String.fromCharCode(c)}" between records: not an sObject record`
          );
        if (separator !== 1)
          throw this.bad(`a comma where record ${index + spans.length / 2 + 1} should start`);
        separator = 2;
      }
    }
    if (collecting) this.key += text.slice(keyStart);
    Object.assign(this, { depth, inString, escaped, collecting, recordsDepth, root, separator });
    this.openAt = recordStart;
    return spans;
  }

  /** After a scanned piece's records are read: the carry keeps the text of the record left open. */
  keep(text: string, readRecords: boolean): void {
    if (readRecords) this.carry = '';
    this.inRecord = this.openAt !== -2;
    if (this.inRecord) this.carry += this.openAt === -1 ? text : text.slice(this.openAt);
  }

  /** At the end of the input: whether a records array was found (an error if it ends early). */
  end(): boolean {
    if (!this.root) throw this.bad('the file is empty');
    if (this.depth !== 0 || this.inString) throw this.bad('it ends early (truncated?)');
    return this.recordsDepth !== -1;
  }
}

/**
 * Bytes decoded at a time. Decoding a 1 MiB read into one string, and parsing records sliced out
 * of it, cost five times more than the same bytes in 64 KiB pieces: a string that large is
 * allocated outside V8's young generation, and so is every copy made of it.
 */
const PIECE_BYTES = 64 * 1024;

/**
 * The text of a source's reads, each read decoded in pieces of whole UTF-8 characters (a
 * character cut by a read's end waits for the next read); a byte order mark is dropped, as
 * TextDecoder does. String chunks pass as they are.
 */
async function* textPieces(source: Readable): AsyncGenerator<string[]> {
  let carry: Buffer | null = null;
  let first = true;
  for await (const chunk of source as AsyncIterable<Buffer | string>) {
    if (typeof chunk === 'string') {
      yield [chunk];
      continue;
    }
    let bytes: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    if (first && bytes.length < 3 && bytes.length > 0 && bytes[0] === 0xef) {
      carry = bytes; // too short yet to tell a byte order mark
      continue;
    }
    if (first && bytes.length) {
      first = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    const end = wholeCharacters(bytes, bytes.length);
    carry = end < bytes.length ? Buffer.from(bytes.subarray(end)) : null;
    const pieces: string[] = [];
    for (let at = 0; at < end;) {
      let to = Math.min(at + PIECE_BYTES, end);
      // Cut before a byte that starts a character: each piece decodes alone to the same text.
      while (to < end && to > at && (bytes[to]! & 0xc0) === 0x80) to--;
      if (to === at) to = Math.min(at + PIECE_BYTES, end);
      pieces.push(bytes.toString('utf8', at, to));
      at = to;
    }
    if (pieces.length) yield pieces;
  }
  // An incomplete last character decodes as U+FFFD, as TextDecoder ends it.
  if (carry) yield [carry.toString('utf8')];
}

/**
 * The records at `spans` of `text` (the first one begun in `carry` when its start is -1), parsed
 * as one array (only commas and whitespace lie between them); when that fails, one at a time, so
 * the error names the first record that does not parse.
 */
function parseRecords(
  carry: string,
  text: string,
  spans: number[],
  before: number,
  bad: (detail: string) => Error
): unknown[] {
  const first = spans[0] ?? 0;
  const last = spans[spans.length - 1] ?? 0;
  try {
    return JSON.parse(
      `[${first < 0 ? carry + text.slice(0, last) : text.slice(first, last)}]`
    ) as unknown[];
  } catch {
    for (let r = 0; r < spans.length; r += 2) {
      const start = spans[r] ?? 0;
      const end = spans[r + 1] ?? 0;
      try {
        JSON.parse(start < 0 ? carry + text.slice(0, end) : text.slice(start, end));
      } catch (error) {
        throw bad(`record ${before + r / 2 + 1}: ${(error as Error).message}`);
      }
    }
    throw bad(`records ${before + 1} to ${before + spans.length / 2}`);
  }
}

import type { Readable } from 'node:stream';
import { ExportFormatError } from '../audit-chain/export-format-error';

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
 * The records of a JSON export a read chunk at a time (see jsonRecords): one await per chunk,
 * not per record, which cost more than parsing a tree file's records. Inside a string the
 * scanner jumps from quote to quote (`indexOf`), and a chunk's whole records are parsed by one
 * `JSON.parse` (only commas and whitespace lie between them); a record that does not parse is
 * then found by parsing them one at a time, so the error still names it.
 */
export async function* jsonRecordBatches(
  source: Readable,
  where: string
): AsyncGenerator<unknown[], boolean> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let collecting = false; // reading a key of the top-level object
  let key = '';
  let lastKey = '';
  let recordsDepth = -1; // depth inside the records array; -1 before it, 0 after it
  let root = 0;
  let index = 0;
  // The text of a record cut by a chunk boundary: kept apart, so the scanner reads each decoded
  // chunk as the flat string it is (a concatenation would be re-read through a rope).
  let carry = '';
  let inRecord = false;
  const bad = (detail: string) => new ExportFormatError(`${where}: not valid JSON (${detail}).`);
  for await (const pieces of textPieces(source)) {
    for (const text of pieces) {
      const length = text.length;
      // Start and end (exclusive) of each whole record ending in this chunk; a start of -1 is the
      // record begun in the carry.
      const spans: number[] = [];
      let recordStart: number = inRecord ? -1 : -2;
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
            lastKey = key + text.slice(keyStart, i);
            collecting = false;
            key = '';
          }
          continue;
        }
        const c = text.charCodeAt(i);
        if (c === 32 || c === 10 || c === 13 || c === 9) continue;
        if (!root) {
          if (c !== 123 && c !== 91) throw bad('it does not start with { or [');
          root = c;
          if (c === 91) recordsDepth = 1;
        }
        if (c === 34) {
          inString = true;
          if (depth === 1 && root === 123 && recordsDepth < 0) {
            collecting = true;
            keyStart = i + 1;
          }
          continue;
        }
        if (c === 123 || c === 91) {
          depth++;
          if (recordsDepth < 0 && c === 91 && depth === 2 && lastKey === 'records')
            recordsDepth = 2;
          else if (recordsDepth > 0 && depth === recordsDepth + 1 && recordStart === -2) {
            if (c !== 123)
              throw new ExportFormatError(
                `${where}: record ${index + spans.length / 2 + 1} is not an sObject record.`
              );
            recordStart = i;
          }
          continue;
        }
        if (c === 125 || c === 93) {
          depth--;
          if (depth < 0) throw bad('unbalanced brackets');
          if (recordStart !== -2 && depth === recordsDepth) {
            spans.push(recordStart, i + 1);
            recordStart = -2;
          } else if (recordsDepth > 0 && depth === recordsDepth - 1) recordsDepth = 0;
          continue;
        }
        if (recordsDepth > 0 && depth === recordsDepth && recordStart === -2 && c !== 44)
          throw bad(
            `unexpected "${String.fromCharCode(c)}" between records: not an sObject record`
          );
      }
      if (collecting) key += text.slice(keyStart);
      if (spans.length) {
        yield parseRecords(carry, text, spans, index, bad);
        index += spans.length / 2;
        carry = '';
      }
      inRecord = recordStart !== -2;
      if (inRecord) carry += recordStart === -1 ? text : text.slice(recordStart);
    }
  }
  if (!root) throw bad('the file is empty');
  if (depth !== 0 || inString) throw bad('it ends early (truncated?)');
  return recordsDepth !== -1;
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

/** Where `bytes` up to `end` stops at a whole UTF-8 character (a cut sequence is left out). */
function wholeCharacters(bytes: Buffer, end: number): number {
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

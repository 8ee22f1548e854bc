import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { ExportFormatError } from '../audit-chain/export-format-error';

/**
 * A CSV record exactly as the file holds it: the raw text (with its line ending) and its fields.
 * A recall rewrites only the fields it changes and copies every other byte, so an export keeps
 * its quoting, line endings and column case, and an undo gives the original back byte for byte.
 */
export interface RawRecord {
  /** The record's text including its terminator ("\n", "\r\n" or none at end of file). */
  raw: string;
  /** Field values, unquoted. */
  values: string[];
  /** Each field's text as written (quotes included). */
  tokens: string[];
  /** 1-based line the record starts on. */
  line: number;
}

/** Splits one record's text (without terminator) into fields, keeping each field's raw text. */
export function tokenize(text: string, where: string): { values: string[]; tokens: string[] } {
  const values: string[] = [];
  const tokens: string[] = [];
  let i = 0;
  for (;;) {
    const start = i;
    let value: string;
    if (text.charCodeAt(i) === 34) {
      let end = i + 1;
      let out = '';
      for (;;) {
        const q = text.indexOf('"', end);
        if (q < 0) throw new ExportFormatError(`${where}: unterminated quoted field.`);
        out += text.slice(end, q);
        if (text.charCodeAt(q + 1) === 34) {
          out += '"';
          end = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      value = out;
      if (i < text.length && text.charCodeAt(i) !== 44)
        throw new ExportFormatError(`${where}: text after a closing quote.`);
    } else {
      const comma = text.indexOf(',', i);
      i = comma < 0 ? text.length : comma;
      value = text.slice(start, i);
    }
    values.push(value);
    tokens.push(text.slice(start, i));
    if (i >= text.length) break;
    i++; // the comma
  }
  return { values, tokens };
}

/** Quotes a value the way the record's file does: always when all its fields are quoted, else when needed. */
export function quote(value: string, always: boolean): string {
  if (always || /[",\r\n]/.test(value) || /^\s|\s$/.test(value))
    return `"${value.replace(/"/g, '""')}"`;
  return value;
}

/** Rebuilds a record with some fields changed; every other field keeps its raw text. */
export function patch(record: RawRecord, changes: Map<number, string>): string {
  const always = record.tokens.every((t) => t.startsWith('"'));
  const terminator = /\r?\n$/.exec(record.raw)?.[0] ?? '';
  return (
    record.tokens.map((t, i) => (changes.has(i) ? quote(changes.get(i)!, always) : t)).join(',') +
    terminator
  );
}

/**
 * Streams a CSV file's records with their raw text. The first record is the header. A record
 * ends at a line break outside quotes (RFC 4180); nothing grows with the file but one record.
 */
export async function* readRawRecords(
  input: string | { where: string; open(): Promise<NodeJS.ReadableStream> }
): AsyncGenerator<RawRecord> {
  const file = typeof input === 'string' ? input : input.where;
  let pending = '';
  let line = 1;
  let startLine = 1;
  let scanFrom = 0;
  let quotes = 0;
  let first = true;
  const stream =
    typeof input === 'string'
      ? fs.createReadStream(input, { highWaterMark: 1 << 20 })
      : await input.open();
  // A decoder, not the stream's encoding: a zip entry's inflate stream yields bytes.
  const decoder = new StringDecoder('utf8');
  // A byte order mark stays in the header's raw text (so it is written back) but not in its names.
  let bom = '';
  const emit = (raw: string): RawRecord => {
    const body = raw.replace(/\r?\n$/, '');
    const { values, tokens } = tokenize(body, `${file}:${startLine}`);
    return { raw: bom + raw, values, tokens, line: startLine };
  };
  for await (const bytes of stream as AsyncIterable<Buffer>) {
    const chunk = decoder.write(bytes);
    if (!chunk) continue;
    if (first && chunk.charCodeAt(0) === 0xfeff) {
      bom = '\ufeff';
      pending += chunk.slice(1);
    } else pending += chunk;
    first = false;
    let recordStart = 0;
    for (let i = scanFrom; i < pending.length; i++) {
      const c = pending.charCodeAt(i);
      if (c === 34) quotes++;
      else if (c === 10) {
        line++;
        if (quotes % 2 === 0) {
          yield emit(pending.slice(recordStart, i + 1));
          bom = '';
          recordStart = i + 1;
          startLine = line;
          quotes = 0;
        }
      }
    }
    pending = pending.slice(recordStart);
    scanFrom = pending.length;
  }
  pending += decoder.end();
  if (quotes % 2 !== 0)
    throw new ExportFormatError(`${file}:${startLine}: unterminated quoted field.`);
  if (pending.length > 0) yield emit(pending);
}

/**
 * A copy of a string that shares no memory with the chunk it was cut from. Values of a streamed
 * record are slices of a megabyte-sized read buffer; keeping one would keep the whole buffer.
 */
export function detach(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8');
}

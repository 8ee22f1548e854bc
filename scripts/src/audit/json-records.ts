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
 * not per record, which cost more than parsing a tree file's records.
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
  let carry = ''; // the text of a record cut by a chunk boundary
  const bad = (detail: string) => new ExportFormatError(`${where}: not valid JSON (${detail}).`);
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source as AsyncIterable<Buffer | string>) {
    const batch: unknown[] = [];
    const text =
      carry + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    let i = carry.length;
    let recordStart = carry ? 0 : -1;
    let keyStart = collecting ? 0 : -1;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92) escaped = true;
        else if (c === 34) {
          inString = false;
          if (collecting) {
            lastKey = key + text.slice(keyStart, i);
            collecting = false;
            key = '';
          }
        }
        continue;
      }
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
        if (recordsDepth < 0 && c === 91 && depth === 2 && lastKey === 'records') recordsDepth = 2;
        else if (recordsDepth > 0 && depth === recordsDepth + 1 && recordStart < 0) {
          if (c !== 123)
            throw new ExportFormatError(`${where}: record ${index + 1} is not an sObject record.`);
          recordStart = i;
        }
        continue;
      }
      if (c === 125 || c === 93) {
        depth--;
        if (depth < 0) throw bad('unbalanced brackets');
        if (recordStart >= 0 && depth === recordsDepth) {
          index++;
          let record: unknown;
          try {
            record = JSON.parse(text.slice(recordStart, i + 1));
          } catch (error) {
            throw bad(`record ${index}: ${(error as Error).message}`);
          }
          recordStart = -1;
          batch.push(record);
        } else if (recordsDepth > 0 && depth === recordsDepth - 1) recordsDepth = 0;
        continue;
      }
      if (recordsDepth > 0 && depth === recordsDepth && recordStart < 0 && c !== 44)
        throw bad(`unexpected "${String.fromCharCode(c)}" between records: not an sObject record`);
    }
    if (collecting) key += text.slice(keyStart);
    carry = recordStart >= 0 ? text.slice(recordStart) : '';
    if (batch.length) yield batch;
  }
  if (!root) throw bad('the file is empty');
  if (depth !== 0 || inString) throw bad('it ends early (truncated?)');
  return recordsDepth !== -1;
}

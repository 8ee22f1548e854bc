import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { chain } from 'stream-chain';
import { parser } from 'stream-json';
import { streamArray } from 'stream-json/streamers/StreamArray';
import { pick } from 'stream-json/filters/Pick';
import { CsvInput, readCsvBatches } from '../audit/csv-stream';
import { AuditEvent, isCanonicalInstant } from './canonical';
import { ExportFormatError } from './export-format-error';
import { fieldText } from '../field-text';

export { ExportFormatError };

/** Export column (Salesforce field API name) for each event property. */
export const COLUMNS: Record<keyof AuditEvent, string> = {
  sequence: 'Sequence__c',
  previousHash: 'Previous_Hash__c',
  occurredAt: 'Occurred_At__c',
  eventType: 'Event_Type__c',
  recordId: 'Record_Id__c',
  objectType: 'Object_Type__c',
  actingUser: 'Acting_User__c',
  decision: 'Decision__c',
  reasonCodes: 'Reason_Codes__c',
  eventKey: 'Event_Key__c',
  payload: 'Payload__c',
  hash: 'Hash__c',
  signature: 'Signature__c',
  timestampToken: 'Timestamp_Token__c'
};

const ID_SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** Salesforce's 15-to-18-character Id conversion (case-safe suffix); 18-character Ids pass through. */
export function to18(id: string): string {
  if (id.length !== 15 || !/^[a-zA-Z0-9]{15}$/.test(id)) return id;
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id.charAt(block * 5 + i);
      if (c >= 'A' && c <= 'Z') flags |= 1 << i;
    }
    suffix += ID_SUFFIX_CHARS.charAt(flags);
  }
  return id + suffix;
}

/** Where an event's column values come from: a record keyed by field name, or a CSV row. */
interface Columns {
  text(column: string): string;
}

/** A record keyed by field name; exports from other tools may spell field names in another case. */
class RecordColumns implements Columns {
  constructor(private readonly row: Record<string, unknown>) {}
  text(column: string): string {
    const exact = this.row[column];
    if (exact !== undefined) return fieldText(exact);
    // The last of several spellings wins, as it always has.
    const lower = column.toLowerCase();
    let found: unknown = undefined;
    for (const key of Object.keys(this.row)) if (key.toLowerCase() === lower) found = this.row[key];
    return fieldText(found);
  }
}

/**
 * A CSV row read by column position (the header matched once per file): no object keyed by field
 * name is built per event. One view serves every row of a file.
 */
class CsvColumns implements Columns {
  row: string[] = [];
  private readonly at = new Map<string, number>();
  constructor(header: string[]) {
    // Header names already carry their canonical spelling; a repeated name: the last one wins.
    header.forEach((name, index) => this.at.set(name, index));
  }
  text(column: string): string {
    const index = this.at.get(column);
    return index === undefined ? '' : (this.row[index] ?? '');
  }
}

/** Turns one export row (field name → value) into an event; `where` names file and line for errors. */
export function toEvent(row: Record<string, unknown>, where: string): AuditEvent {
  return eventAt(new RecordColumns(row), where, null);
}

/**
 * toEvent for a CSV row at `file:line`: the place is written only into an error (a string per
 * event cost more than hashing it), and no function is made per event.
 */
function eventAt(row: Columns, file: string, line: number | null): AuditEvent {
  const sequenceText = row.text(COLUMNS.sequence).trim();
  const sequence = Number(sequenceText);
  if (!/^\d+(\.0+)?$/.test(sequenceText) || !Number.isSafeInteger(sequence)) {
    throw new ExportFormatError(
      `${placeOf(file, line)}: Sequence__c is "${sequenceText}", not a whole number.`
    );
  }
  const occurredText = row.text(COLUMNS.occurredAt).trim();
  // A Bulk API export writes times as toISOString would: kept as they are, not parsed.
  const canonical = isCanonicalInstant(occurredText);
  const occurred = canonical ? 0 : Date.parse(occurredText);
  if (occurredText !== '' && Number.isNaN(occurred)) {
    throw new ExportFormatError(
      `${placeOf(file, line)}: Occurred_At__c is "${occurredText}", not a date-time.`
    );
  }
  const event: AuditEvent = {
    sequence,
    previousHash: row.text(COLUMNS.previousHash).trim(),
    occurredAt: occurredText === '' || canonical ? occurredText : new Date(occurred).toISOString(),
    eventType: row.text(COLUMNS.eventType),
    recordId: row.text(COLUMNS.recordId),
    objectType: row.text(COLUMNS.objectType),
    actingUser: to18(row.text(COLUMNS.actingUser).trim()),
    decision: row.text(COLUMNS.decision),
    reasonCodes: row.text(COLUMNS.reasonCodes),
    eventKey: row.text(COLUMNS.eventKey),
    payload: row.text(COLUMNS.payload),
    hash: row.text(COLUMNS.hash).trim(),
    signature: row.text(COLUMNS.signature)
  };
  // Absent from exports made before timestamps existed; the property is then left out.
  const timestampToken = row.text(COLUMNS.timestampToken);
  if (timestampToken !== '') event.timestampToken = timestampToken;
  return event;
}

function placeOf(file: string, line: number | null): string {
  return line === null ? file : `${file}:${line}`;
}

const REQUIRED = [
  COLUMNS.sequence,
  COLUMNS.previousHash,
  COLUMNS.hash,
  COLUMNS.payload,
  COLUMNS.eventType
];

function checkColumns(columns: string[], file: string): void {
  const present = new Set(columns.map((c) => c.toLowerCase()));
  const missing = REQUIRED.filter((c) => !present.has(c.toLowerCase()));
  if (missing.length > 0) {
    throw new ExportFormatError(
      `${file}: missing column(s) ${missing.join(', ')}. Export Synthetic_Audit_Event__c with every field (sdg audit --queries prints the query).`
    );
  }
}

/**
 * Streams audit events from a CSV (a file, or a zip entry) through the shared strict CSV reader,
 * a parser batch at a time (one await per batch: a yield per event cost more than hashing it).
 * Header names match the event columns case-insensitively, as readCsvRecordBatches matches them.
 */
export async function* eventBatchesFromCsv(input: CsvInput): AsyncGenerator<AuditEvent[]> {
  const file = typeof input === 'string' ? input : input.where;
  const canonical = new Map(Object.values(COLUMNS).map((name) => [name.toLowerCase(), name]));
  let columns: CsvColumns | null = null;
  for await (const batch of readCsvBatches(input, { scanner: true })) {
    let start = 0;
    if (!columns) {
      const header = (batch.rows[0] ?? []).map((h) => canonical.get(h.toLowerCase()) ?? h);
      checkColumns(header, file);
      columns = new CsvColumns(header);
      start = 1;
    }
    if (batch.rows.length <= start) continue;
    const events: AuditEvent[] = new Array<AuditEvent>(batch.rows.length - start);
    for (let i = start; i < batch.rows.length; i++) {
      columns.row = batch.rows[i]!;
      events[i - start] = eventAt(columns, file, batch.lines[i]!);
    }
    yield events;
  }
  if (!columns) checkColumns([], file);
}

/** Streams audit events from a CSV one at a time (see eventBatchesFromCsv). */
export async function* eventsFromCsv(input: CsvInput): AsyncGenerator<AuditEvent> {
  for await (const events of eventBatchesFromCsv(input)) yield* events;
}

async function* fromJson(file: string): AsyncGenerator<AuditEvent> {
  // A REST/Bulk JSON result ({"records": [...]}), an sObject tree ({"records": [...]}) or a plain array.
  const head = await readHead(file);
  const tokens = parser();
  const pipeline = chain([
    fs.createReadStream(file),
    tokens,
    ...(head.trimStart().startsWith('{') ? [pick({ filter: 'records' })] : []),
    streamArray()
  ]) as Readable;
  let index = 0;
  let checked = false;
  let sawRecords = !head.trimStart().startsWith('{');
  tokens.on('data', (token: { name: string; value?: unknown }) => {
    if (token.name === 'keyValue' && token.value === 'records') sawRecords = true;
  });
  try {
    for await (const item of pipeline as AsyncIterable<{ value: Record<string, unknown> }>) {
      index++;
      if (typeof item.value !== 'object' || item.value === null) {
        throw new ExportFormatError(`${file}: record ${index} is not an object.`);
      }
      if (!checked) {
        checkColumns(Object.keys(item.value), file);
        checked = true;
      }
      yield toEvent(item.value, `${file}: record ${index}`);
    }
  } catch (error) {
    if (error instanceof ExportFormatError) throw error;
    throw new ExportFormatError(`${file}: not valid JSON (${(error as Error).message}).`);
  }
  if (!sawRecords)
    throw new ExportFormatError(
      `${file}: no "records" array; not an export of Synthetic_Audit_Event__c (a query result, a tree file or a JSON array of records).`
    );
}

async function readHead(file: string): Promise<string> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(256);
    const { bytesRead } = await handle.read(buffer, 0, 256, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The events of an export file in batches (see readAuditExport): CSV a parser batch at a time. */
export async function* readAuditExportBatches(file: string): AsyncGenerator<AuditEvent[]> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch {
    throw new ExportFormatError(`${file}: no such file.`);
  }
  if (!stat.isFile()) throw new ExportFormatError(`${file}: not a file.`);
  const head = await readHead(file);
  if (head.includes('\u0000'))
    throw new ExportFormatError(`${file}: binary data, not a CSV or JSON export.`);
  const extension = path.extname(file).toLowerCase();
  const json = extension === '.json' || (extension !== '.csv' && /^\s*[[{]/.test(head));
  if (json) for await (const event of fromJson(file)) yield [event];
  else yield* eventBatchesFromCsv(file);
}

/**
 * Streams audit events from an export file: CSV (Bulk API 2.0 or the data export service) or
 * JSON, chosen by extension, else by the first character. Nothing grows with the file's size.
 */
export async function* readAuditExport(file: string): AsyncGenerator<AuditEvent> {
  for await (const events of readAuditExportBatches(file)) yield* events;
}

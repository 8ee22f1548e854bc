import crypto, { createHash } from 'node:crypto';

/** Previous hash of the first event in a chain. */
export const GENESIS_HASH = '0'.repeat(64);
/** Version tag that starts every canonical encoding; a new encoding gets a new tag. */
export const ENCODING_TAG = 'SDG-AUDIT-v1';

/** One `Synthetic_Audit_Event__c`, with the fields the chain covers, normalised. */
export interface AuditEvent {
  sequence: number;
  previousHash: string;
  /**
   * ISO 8601 UTC, e.g. 2026-06-01T10:01:00.000Z. The org stores whole seconds; the encoding
   * writes whatever is given here to the second (see `occurredAtToSecond`).
   */
  occurredAt: string;
  eventType: string;
  recordId: string;
  objectType: string;
  actingUser: string;
  decision: string;
  reasonCodes: string;
  eventKey: string;
  payload: string;
  hash: string;
  signature: string;
  /**
   * A checkpoint's RFC 3161 timestamp token (base64 DER), stored after the append by the org's
   * timestamp job; outside the hash like the signature.
   */
  timestampToken?: string;
}

/** The fields the hash covers, in order. Signature and hash are not among them. */
export const HASHED_FIELDS = [
  'sequence',
  'previousHash',
  'occurredAt',
  'eventType',
  'recordId',
  'objectType',
  'actingUser',
  'decision',
  'reasonCodes',
  'eventKey',
  'payload'
] as const satisfies readonly (keyof AuditEvent)[];

/**
 * Canonical encoding (docs/audit-chain.md): the tag, then for each hashed field in order
 * `<UTF-8 byte length>:<value>\n`, blanks as empty strings. Length prefixes make it unambiguous
 * without any escaping, so Apex and Node cannot disagree. Twin of Apex `AuditChain.canonical`.
 */
export function canonicalEncoding(event: Omit<AuditEvent, 'hash' | 'signature'>): string {
  // One string built field by field: the two fields whose text is always ASCII (the number and
  // a canonical time) need no byte count, every other field is counted as UTF-8.
  const sequence =
    typeof event.sequence === 'number'
      ? `${String(event.sequence).length}:${event.sequence}\n`
      : utf8Field(event.sequence);
  return (
    `${ENCODING_TAG}\n${sequence}` +
    `${utf8Field(event.previousHash)}` +
    `${occurredAtField(String(event.occurredAt ?? ''))}` +
    `${utf8Field(event.eventType)}${utf8Field(event.recordId)}${utf8Field(event.objectType)}` +
    `${utf8Field(event.actingUser)}${utf8Field(event.decision)}${utf8Field(event.reasonCodes)}` +
    `${utf8Field(event.eventKey)}${utf8Field(event.payload)}`
  );
}

/** The occurred-at field (see occurredAtToSecond), validating a canonical time once, not twice. */
function occurredAtField(value: string): string {
  if (isCanonicalInstant(value))
    return `24:${value.endsWith('.000Z') ? value : `${value.slice(0, 20)}000Z`}\n`;
  const second = occurredAtToSecond(value);
  return isCanonicalInstant(second) ? `24:${second}\n` : utf8Field(second);
}

function utf8Field(raw: string | number | null | undefined): string {
  const value = String(raw ?? '');
  return `${Buffer.byteLength(value, 'utf8')}:${value}\n`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(value: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Whether a value is already what `Date#toISOString` writes for it (`YYYY-MM-DDTHH:MM:SS.sssZ`,
 * a real calendar date): then parsing and re-printing it would give it back unchanged, and the
 * readers skip both (they were a tenth of the time of reading a chain). A day past the month's
 * end or hour 24 is not canonical: the parser rolls it over, so it takes the slow path.
 */
export function isCanonicalInstant(value: string): boolean {
  // The reader checks an event's time, then the encoding does: the second time is this string.
  if (value === lastCanonical) return true;
  if (!checkCanonical(value)) return false;
  lastCanonical = value;
  return true;
}

/** The last value found canonical. */
let lastCanonical = '\u0000';

function checkCanonical(value: string): boolean {
  if (
    value.length !== 24 ||
    value.charCodeAt(4) !== 45 ||
    value.charCodeAt(7) !== 45 ||
    value.charCodeAt(10) !== 84 ||
    value.charCodeAt(13) !== 58 ||
    value.charCodeAt(16) !== 58 ||
    value.charCodeAt(19) !== 46 ||
    value.charCodeAt(23) !== 90
  )
    return false;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 7);
  const day = digits(value, 8, 10);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1]! + (month === 2 && leap ? 1 : 0)) return false;
  const hour = digits(value, 11, 13);
  const minute = digits(value, 14, 16);
  const second = digits(value, 17, 19);
  return (
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59 &&
    digits(value, 20, 23) >= 0
  );
}

/**
 * An occurred-at as the encoding writes it: UTC, to the whole second, milliseconds `.000`. A
 * Salesforce Date/Time field stores whole seconds, so `2026-06-01T10:01:00.007Z` (what
 * `Datetime.now()` gave before the insert), `2026-06-01T10:01:00.000+0000` (a REST export) and
 * `2026-06-01T10:01:00.000Z` (a Bulk API export) are one value. Twin of Apex `AuditChain.iso`.
 * Text that is not a date-time is left as it is (the hash then shows the row was altered).
 */
export function occurredAtToSecond(value: string): string {
  if (value === '') return value;
  // Already canonical: dropping the milliseconds is the floor to the second (also before 1970).
  if (isCanonicalInstant(value))
    return value.endsWith('.000Z') ? value : `${value.slice(0, 20)}000Z`;
  const millis = Date.parse(value);
  if (Number.isNaN(millis)) return value;
  return new Date(millis - (((millis % 1000) + 1000) % 1000)).toISOString();
}

/** One-shot SHA-256 (Node 21.7+): no Hash object per event; createHash where it is missing. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string })
  .hash;

/** SHA-256 (lowercase hex) of the canonical encoding: the event's `Hash__c`. */
export function eventHash(event: Omit<AuditEvent, 'hash' | 'signature'>): string {
  const encoding = canonicalEncoding(event);
  return oneShot
    ? oneShot('sha256', encoding, 'hex')
    : createHash('sha256').update(encoding, 'utf8').digest('hex');
}

/** The message a checkpoint signs: the chain head it attests and that head's sequence. */
export function checkpointMessage(sequence: number, head: string): string {
  return `SDG-CHECKPOINT-v1\n${sequence}\n${head}`;
}

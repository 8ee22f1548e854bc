import { createHash } from 'node:crypto';

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
  let out = `${ENCODING_TAG}\n`;
  for (const field of HASHED_FIELDS) {
    const raw = String(event[field] ?? '');
    const value = field === 'occurredAt' ? occurredAtToSecond(raw) : raw;
    out += `${Buffer.byteLength(value, 'utf8')}:${value}\n`;
  }
  return out;
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
  const millis = Date.parse(value);
  if (Number.isNaN(millis)) return value;
  return new Date(millis - (((millis % 1000) + 1000) % 1000)).toISOString();
}

/** SHA-256 (lowercase hex) of the canonical encoding: the event's `Hash__c`. */
export function eventHash(event: Omit<AuditEvent, 'hash' | 'signature'>): string {
  return createHash('sha256').update(canonicalEncoding(event), 'utf8').digest('hex');
}

/** The message a checkpoint signs: the chain head it attests and that head's sequence. */
export function checkpointMessage(sequence: number, head: string): string {
  return `SDG-CHECKPOINT-v1\n${sequence}\n${head}`;
}

import type { AuditEvent } from '../audit-chain/canonical';
import { ExportRow, field } from './record-reader';

/** Where the time a record entered its status came from; the reports count each. */
export type EntrySource = 'audit events' | 'CreatedDate' | 'LastModifiedDate' | 'SystemModstamp';

const STATUS_KEY = '"status":';

/** Reasons of a status set after the record was created: a recall or the retention job. */
const LATER_REASONS = ['RECALLED', 'RETENTION_EXPIRED'];

/**
 * The status an event's payload records (`"status":"Quarantined"` or `"status":null` → ''), or
 * null when the payload has none. The payload is canonical JSON with sorted keys and `status`
 * comes after every free-text key (`reviewReason`), so its last occurrence is the key itself.
 */
export function payloadStatus(payload: string): string | null {
  // Only `synthetic` and `syntheticConfidence` follow it: look in the tail first (lastIndexOf
  // over a whole payload costs more than parsing its CSV row).
  let at = -1;
  // (No array destructuring per step: it allocated an array per event.)
  for (let i = payload.indexOf(STATUS_KEY, Math.max(0, payload.length - 256)); i >= 0;) {
    at = i;
    i = payload.indexOf(STATUS_KEY, i + 1);
  }
  if (at < 0) at = payload.lastIndexOf(STATUS_KEY);
  if (at < 0) return null;
  const from = at + 9;
  if (payload.startsWith('null', from)) return '';
  if (payload.charCodeAt(from) !== 34) return null;
  const end = payload.indexOf('"', from + 1);
  return end < 0 ? null : payload.slice(from + 1, end);
}

/**
 * The value a record's audit event contributes: the status it set and when (`status\ttime`), or
 * '' for an event that records no status. Events come in chain order.
 */
export function statusEntryValue(event: AuditEvent): string {
  const status = payloadStatus(event.payload);
  return status === null || !event.occurredAt ? '' : `${status}\t${event.occurredAt}`;
}

const statusPart = (value: string) => value.slice(0, value.indexOf('\t'));

/**
 * Merges a record's event values in chain order so the result is the event that *set* its latest
 * status: a later event that repeats the status (an edit of a quarantined record) keeps the
 * earlier entry time; an event with another status starts a new one.
 */
export function keepStatusEntry(earlier: string, later: string): string {
  if (later === '') return earlier;
  if (earlier === '') return later;
  return statusPart(earlier) === statusPart(later) ? earlier : later;
}

/** When the audit events say a record entered `status`, or null if they do not. */
export function eventEntry(value: string, status: string): string | null {
  if (value === '') return null;
  const tab = value.indexOf('\t');
  return value.slice(0, tab) === status ? value.slice(tab + 1) : null;
}

/**
 * The export's own field for when a record entered its status, used when no audit event dates it.
 * The policy quarantines on insert (CreatedDate); a recall or retention quarantines later, dated
 * by LastModifiedDate or SystemModstamp when the export has them, else not dated (never aged
 * from its creation).
 */
export function fieldEntry(
  row: ExportRow,
  reasons: string
): { source: EntrySource; at: string } | null {
  if (!LATER_REASONS.some((code) => reasons.includes(code))) {
    const created = field(row, 'CreatedDate');
    return created ? { source: 'CreatedDate', at: created } : null;
  }
  for (const name of ['LastModifiedDate', 'SystemModstamp'] as const) {
    const at = field(row, name);
    if (at) return { source: name, at };
  }
  return null;
}

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { testStaticResources } from '../project-root';

/**
 * Free text an audit event refers to, kept outside the chain in `Synthetic_Audit_Note__c` so it
 * can be erased (Apex twin: `AuditNotes`). The event's payload holds `<key>Digest`.
 */
export interface AuditNote {
  digest: string;
  nonce: string;
  text: string;
  recordId?: string;
  eventKey?: string;
  kind?: string;
}

/** The digest an event holds for a note: hex SHA-256 of `nonce`, a newline and `text` (UTF-8). */
export function noteDigest(nonce: string, text: string): string {
  return createHash('sha256').update(`${nonce}\n${text}`, 'utf8').digest('hex');
}

/** The note digests a payload refers to: string values of keys ending in `Digest`. */
export function digestsIn(payload: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return [];
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return [];
  return Object.entries(parsed as Record<string, unknown>)
    .filter(([key, value]) => key.endsWith('Digest') && typeof value === 'string')
    .map(([, value]) => value as string);
}

/** Notes whose text no longer matches their digest (edited after they were written). */
export function tamperedNotes(notes: Iterable<AuditNote>): AuditNote[] {
  return [...notes].filter((note) => noteDigest(note.nonce, note.text) !== note.digest);
}

/** The shared note vectors (static resource AuditNoteVectors), also run by the Apex test. */
export interface AuditNoteVectors {
  notes: { nonce: string; text: string; digest: string }[];
  payloads: { payload: string; digests: string[] }[];
}

/** Reads the shared note vectors. */
export function loadAuditNoteVectors(): AuditNoteVectors {
  return JSON.parse(
    fs.readFileSync(path.join(testStaticResources('audit-trail'), 'AuditNoteVectors.json'), 'utf8')
  ) as AuditNoteVectors;
}

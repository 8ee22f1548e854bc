import { createHash } from 'node:crypto';

/** Fields that are not content (lower case): system fields and the provenance fields themselves. */
export const EXCLUDED_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'isdeleted',
  'masterrecordid',
  'ownerid',
  'recordtypeid',
  'createddate',
  'createdbyid',
  'lastmodifieddate',
  'lastmodifiedbyid',
  'systemmodstamp',
  'lastactivitydate',
  'lastvieweddate',
  'lastreferenceddate',
  'synthetic_data__c',
  'ai_model__c',
  'generated_at__c',
  'generation_method__c',
  'provenance_source__c',
  'synthetic_confidence__c',
  'provenance_hash__c',
  'synthetic_status__c',
  'synthetic_reasons__c',
  'synthetic_reviewed_by__c',
  'synthetic_reviewed_at__c',
  'source_record_id__c',
  'provenance_batch__c',
  // Derived from the policy on every save (#30): a policy change must not read as an edit.
  'automated_decision_eligible__c'
]);

/**
 * A person account carries its person contact's custom fields as `<name>__pc`: the provenance
 * ones are not content, as on the Contact. `IsPersonAccount` and `PersonContactId` are not content.
 */
const PERSON_SUFFIX = '__pc';
const PERSON_ACCOUNT_SYSTEM_FIELDS: ReadonlySet<string> = new Set([
  'ispersonaccount',
  'personcontactid'
]);

/** Whether a field is left out of the canonical content. Twin of Apex `ProvenanceHash.isExcluded`. */
export function isExcluded(name: string): boolean {
  let key = name.toLowerCase();
  if (key.endsWith(PERSON_SUFFIX)) key = key.slice(0, -PERSON_SUFFIX.length) + '__c';
  return EXCLUDED_FIELDS.has(key) || PERSON_ACCOUNT_SYSTEM_FIELDS.has(key);
}

/** A field value as a record carries it. Dates are `Date` objects or ISO strings. */
export type FieldValue = string | number | boolean | Date | null | undefined;

/** Plain decimal text without exponent or trailing zeros, as Apex `stripTrailingZeros().toPlainString()`. */
function plainNumber(value: number): string {
  if (Number.isInteger(value)) return BigInt(value).toString();
  const text = value.toString();
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/\.?0+$/, '');
}

function canonicalValue(value: FieldValue): string | null {
  if (value === null || value === undefined) return null;
  // A Date/Time field stores whole seconds: hash a date-time as the platform stores it.
  if (value instanceof Date)
    return new Date(value.getTime() - (((value.getTime() % 1000) + 1000) % 1000)).toISOString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? plainNumber(value) : null;
  return value.trim() === '' ? null : value;
}

/**
 * Canonical content of a record: every populated field except provenance and system fields,
 * lower-case names sorted, values as text, blanks left out, compact JSON. Twin of Apex
 * `ProvenanceHash.canonicalContent`.
 */
export function canonicalContent(fields: Record<string, FieldValue>): string {
  const content: Record<string, string> = {};
  for (const [name, raw] of Object.entries(fields)) {
    const key = name.toLowerCase();
    const value = canonicalValue(raw);
    if (value !== null && !isExcluded(key)) content[key] = value;
  }
  const sorted = Object.keys(content).sort();
  return JSON.stringify(Object.fromEntries(sorted.map((key) => [key, content[key]])));
}

/** SHA-256, lowercase hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `Provenance_Hash__c` of a record: SHA-256 of its canonical content. */
export function provenanceHash(fields: Record<string, FieldValue>): string {
  return sha256Hex(canonicalContent(fields));
}

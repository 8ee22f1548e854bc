import {
  GOVERNED_OBJECTS,
  PROVENANCE_FIELD_TYPES,
  PROVENANCE_FIELDS,
  type ProvenanceRole
} from '../provenance-model/schema';
import type { DeclaredProvenance } from '../policy/provenance-policy';
import { parseTimestamp } from './disclosure-headers';
import { FieldDefinitions, valueProblem } from './field-definitions';
import { StandardFields } from './standard-fields';

/**
 * Reads an ingestion request body into records, refusing anything the endpoint would refuse with
 * 400 before a single record is written. Twin of the Apex class `PayloadValidator`.
 */

/** At most this many records per request: one trigger chunk, so one policy run per request. */
export const MAX_BATCH_SIZE = 200;

/** Fields the policy and reviewers set; a sender may not. */
export const POLICY_OWNED_FIELDS: readonly string[] = [
  PROVENANCE_FIELDS.syntheticStatus,
  PROVENANCE_FIELDS.syntheticReasons,
  PROVENANCE_FIELDS.reviewedBy,
  PROVENANCE_FIELDS.reviewedAt
];

/** Machine-readable codes of a request the endpoint refuses outright (HTTP 400/403). */
export type RequestErrorCode =
  | 'MALFORMED_JSON'
  | 'MALFORMED_HEADER'
  | 'UNKNOWN_OBJECT'
  | 'UNKNOWN_FIELD'
  | 'READ_ONLY_FIELD'
  | 'INVALID_TYPE'
  | 'INVALID_VALUE'
  | 'EMPTY_BATCH'
  | 'BATCH_TOO_LARGE'
  | 'DUPLICATE_EXTERNAL_ID'
  | 'HASH_HEADER_NEEDS_ONE_RECORD'
  | 'MISSING_PERMISSION';

/** One reason a request is refused; `index` and `field` say where, when it is about a record. */
export interface RequestError {
  code: RequestErrorCode;
  message: string;
  index?: number;
  field?: string;
  header?: string;
}

/** A record as the endpoint will save it: field API name to JSON value. */
export type RecordValues = Record<string, string | number | boolean | null>;

/** What the body holds once validated. */
export interface ParsedPayload {
  records: RecordValues[];
  errors: RequestError[];
}

type JsonKind = 'boolean' | 'number' | 'string' | 'datetime' | 'dateOrDatetime';

const KIND_OF_TYPE: Record<string, JsonKind> = {
  Checkbox: 'boolean',
  Text: 'string',
  DateTime: 'datetime',
  Picklist: 'string',
  Percent: 'number',
  Lookup: 'string'
};

/** The fields of a governed object a sender may write, by lower-case name: API name and JSON type. */
export function writableFields(
  objectName: string,
  standard: StandardFields
): Map<string, [string, JsonKind]> {
  const fields = new Map<string, [string, JsonKind]>();
  for (const [name, kind] of standard.writableFieldsOf(objectName))
    fields.set(name.toLowerCase(), [name, kind]);
  for (const role of Object.keys(PROVENANCE_FIELDS) as ProvenanceRole[]) {
    const name = PROVENANCE_FIELDS[role];
    if (!POLICY_OWNED_FIELDS.includes(name))
      fields.set(name.toLowerCase(), [name, KIND_OF_TYPE[PROVENANCE_FIELD_TYPES[role].type]!]);
  }
  return fields;
}

function typeError(kind: JsonKind, value: unknown): string | null {
  if (value === null) return null;
  switch (kind) {
    case 'boolean':
      return typeof value === 'boolean' ? null : 'a JSON boolean (true or false)';
    case 'number':
      return typeof value === 'number' ? null : 'a JSON number';
    case 'datetime':
      return typeof value === 'string' && parseTimestamp(value) !== null
        ? null
        : 'an RFC 3339 date-time string such as "2026-06-01T11:00:00Z"';
    case 'dateOrDatetime':
      return typeof value === 'string' &&
        (/^\d{4}-\d{2}-\d{2}$/.test(value) || parseTimestamp(value) !== null)
        ? null
        : 'a date or RFC 3339 date-time string';
    default:
      return typeof value === 'string' ? null : 'a JSON string';
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The records of a body: `{"records": [...]}` for a batch, a single record object otherwise. */
function recordsOf(body: unknown, errors: RequestError[]): unknown[] {
  if (!isPlainObject(body)) {
    errors.push({
      code: 'MALFORMED_JSON',
      message: 'The body must be a JSON object: one record, or {"records": [...]} for a batch.'
    });
    return [];
  }
  if (!('records' in body)) return [body];
  const records = body.records;
  if (!Array.isArray(records)) {
    errors.push({ code: 'MALFORMED_JSON', message: '"records" must be a JSON array of records.' });
    return [];
  }
  if (records.length === 0)
    errors.push({ code: 'EMPTY_BATCH', message: '"records" holds no record; send at least one.' });
  if (records.length > MAX_BATCH_SIZE)
    errors.push({
      code: 'BATCH_TOO_LARGE',
      message: `A request holds at most ${MAX_BATCH_SIZE} records, this one ${records.length}; split it.`
    });
  return records.length > MAX_BATCH_SIZE ? [] : records;
}

function checkRecord(
  objectName: string,
  raw: unknown,
  index: number,
  fields: ReadonlyMap<string, [string, JsonKind]>,
  errors: RequestError[],
  definitions: FieldDefinitions
): RecordValues | null {
  if (!isPlainObject(raw)) {
    errors.push({ code: 'INVALID_TYPE', index, message: `Record ${index} is not a JSON object.` });
    return null;
  }
  const record: RecordValues = {};
  for (const [name, value] of Object.entries(raw)) {
    // sObject tree and REST bodies carry "attributes"; it is not a field.
    if (name === 'attributes') continue;
    // Field names are case-insensitive, as everywhere on the platform.
    const [field, kind] = fields.get(name.toLowerCase()) ?? [name, undefined];
    if (POLICY_OWNED_FIELDS.some((owned) => owned.toLowerCase() === field.toLowerCase())) {
      errors.push({
        code: 'READ_ONLY_FIELD',
        index,
        field,
        message: `${field} is set by the policy and reviewers, not by the sender; remove it.`
      });
    } else if (kind === undefined) {
      errors.push({
        code: 'UNKNOWN_FIELD',
        index,
        field,
        message: `${field} is not a field of ${objectName} the sender can write; check the API name.`
      });
    } else {
      const expected = typeError(kind, value);
      const problem =
        expected === null ? valueProblem(field, definitions.of(objectName, field), value) : null;
      if (expected !== null)
        errors.push({
          code: 'INVALID_TYPE',
          index,
          field,
          message: `${field} must be ${expected}.`
        });
      else if (problem !== null)
        errors.push({ code: 'INVALID_VALUE', index, field, message: problem });
      else record[field] = value as RecordValues[string];
    }
  }
  return record;
}

function duplicateKeys(records: RecordValues[], errors: RequestError[]): void {
  const seen = new Map<string, number>();
  records.forEach((record, index) => {
    const key = record[PROVENANCE_FIELDS.sourceRecordId];
    if (typeof key !== 'string' || key.trim() === '') return;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else
      errors.push({
        code: 'DUPLICATE_EXTERNAL_ID',
        index,
        field: PROVENANCE_FIELDS.sourceRecordId,
        message: `Records ${first} and ${index} share Source_Record_Id__c "${key}"; send each record once.`
      });
  });
}

/**
 * Parses and checks a body for an object. Every problem is reported, not just the first, so a
 * sender fixes a payload in one round. Values are checked against the package's field
 * definitions (length, number range, restricted picklist values, dates) as the org would.
 */
export function parsePayload(
  objectName: string,
  bodyText: string,
  standard: StandardFields,
  definitions: FieldDefinitions = FieldDefinitions.load()
): ParsedPayload {
  const errors: RequestError[] = [];
  if (!(GOVERNED_OBJECTS as readonly string[]).includes(objectName)) {
    errors.push({
      code: 'UNKNOWN_OBJECT',
      message: `${objectName} is not governed by Synthetic Data Guard; use one of ${GOVERNED_OBJECTS.join(', ')}.`
    });
    return { records: [], errors };
  }
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch (error) {
    errors.push({
      code: 'MALFORMED_JSON',
      message: `The body is not valid JSON: ${(error as Error).message}.`
    });
    return { records: [], errors };
  }
  const fields = writableFields(objectName, standard);
  const records: RecordValues[] = [];
  recordsOf(body, errors).forEach((raw, index) => {
    const record = checkRecord(objectName, raw, index, fields, errors, definitions);
    if (record) records.push(record);
  });
  duplicateKeys(records, errors);
  return { records, errors };
}

/**
 * Fills each provenance field the record leaves out (or null) with what the headers declare. A
 * value the record gives is kept, even where it disagrees: the policy reports that as
 * DISCLOSURE_CONFLICT instead of one side silently winning.
 */
export function mergeDeclared(record: RecordValues, declared: DeclaredProvenance): RecordValues {
  const merged: RecordValues = { ...record };
  for (const [field, value] of Object.entries(declared)) {
    if (merged[field] === undefined || merged[field] === null) merged[field] = value;
  }
  return merged;
}

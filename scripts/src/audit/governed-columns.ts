import { governTargetOf } from '../govern/object-kind';
import {
  GOVERNED_OBJECTS,
  governedObjectsOf,
  OPTIONAL_PROVENANCE_FIELDS,
  PROVENANCE_FIELDS
} from '../provenance-model/schema';

/** An object a policy governs beyond the package's five, and the columns an audit reads of it. */
export interface GovernedColumns {
  object: string;
  columns: string[];
  /** Its master-detail fields: the record is deleted with the parent they name (org describe only). */
  parents?: { field: string; parent: string }[];
}

const RECORD_FIELDS: readonly string[] = Object.values(PROVENANCE_FIELDS);

/**
 * What the Apex (ProvenanceFields) says when a policy governs an object without its provenance
 * fields: the same fix, in the same words.
 */
export function missingFieldsMessage(object: string, missing: string[]): string {
  return `A Synthetic_Policy__mdt record governs ${object}, but ${object} lacks the provenance fields ${missing.join(', ')}. Deploy the folder that sdg govern --object ${object} writes (fields, trigger and permission set), or delete the policy record.`;
}

/** The same for an object the org does not have. */
export function unknownObjectMessage(object: string): string {
  return `A Synthetic_Policy__mdt record governs ${object}, but this org has no object with that API name. Correct Governed_Object__c to the object's API name (Setup, Object Manager), or delete the policy record.`;
}

/**
 * The columns of a configured object: Id, its name field when known, CreatedDate, then the record
 * provenance fields it has. A required field it lacks is an error the caller reports (the Apex
 * refuses such an object the same way); only OPTIONAL_PROVENANCE_FIELDS may be absent.
 */
export function configuredColumns(
  object: string,
  has: (field: string) => boolean,
  nameField?: string
): { columns: string[]; missing: string[] } {
  const missing = RECORD_FIELDS.filter((f) => !has(f) && !OPTIONAL_PROVENANCE_FIELDS.includes(f));
  const fields = RECORD_FIELDS.filter((f) => has(f));
  const named = nameField && nameField !== 'Id' ? [nameField] : [];
  return { columns: ['Id', ...named, 'CreatedDate', ...fields], missing };
}

/**
 * The objects a policy governs beyond the five, with the columns `sdg govern` gives them (no org
 * to describe: an export's policy, `--policy`). Task and Event have no reviewer lookup; an object
 * govern would refuse keeps every field, so its query says plainly which column the org lacks.
 */
export function governedColumnsOf(policy?: {
  policies?: Record<string, unknown>;
}): GovernedColumns[] {
  return governedObjectsOf(policy)
    .filter((object) => !(GOVERNED_OBJECTS as readonly string[]).includes(object))
    .map((object) => {
      let skipped: Record<string, string> = {};
      try {
        skipped = governTargetOf(object).skippedFields;
      } catch {
        skipped = {};
      }
      const { columns } = configuredColumns(object, (field) => !(field in skipped));
      return { object, columns };
    });
}

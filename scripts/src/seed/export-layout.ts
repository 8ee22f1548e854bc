import { COLUMNS } from '../audit-chain/export-reader';
import { GOVERNED_OBJECTS, GovernedObject, PROVENANCE_FIELDS } from '../provenance-model/schema';

/** Standard fields each object's export carries besides Id, CreatedDate and provenance. */
export const CONTENT_FIELDS: Record<GovernedObject, string[]> = {
  Account: ['Name', 'Industry', 'BillingCity', 'BillingCountry', 'Website'],
  Contact: ['AccountId', 'FirstName', 'LastName', 'Email', 'Phone', 'Title'],
  Opportunity: ['AccountId', 'Name', 'StageName', 'Amount', 'CloseDate'],
  Case: ['AccountId', 'ContactId', 'Subject', 'Status', 'Origin', 'Priority'],
  Lead: ['FirstName', 'LastName', 'Company', 'Email', 'Status', 'LeadSource']
};

/** Export columns of a governed object, in file order. */
export function columnsOf(object: GovernedObject): string[] {
  return ['Id', ...CONTENT_FIELDS[object], 'CreatedDate', ...Object.values(PROVENANCE_FIELDS)];
}

/** Columns of the audit-event export (every field the chain covers). */
export const AUDIT_EVENT_COLUMNS = Object.values(COLUMNS);

/** File names in an export folder, as `sdg seed` writes and `sdg audit` reads them. */
export const EXPORT_FILES = {
  object: (object: GovernedObject) => `${object}.csv`,
  auditEvents: 'Synthetic_Audit_Event__c.csv',
  policy: 'policy.json',
  manifest: 'manifest.json',
  hmacKey: 'sample-checkpoint.key'
};

/** Objects in parent-first order (tree imports and lineage checks need parents first). */
export const OBJECT_ORDER: readonly GovernedObject[] = [
  'Account',
  'Contact',
  'Opportunity',
  'Case',
  'Lead'
];

export { GOVERNED_OBJECTS };

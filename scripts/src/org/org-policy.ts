import { PolicySet, toObjectPolicy, toTrustedSource } from '../policy/package-policy';
import { POLICY_TYPE, TRUSTED_SOURCE_TYPE } from '../provenance-model/schema';
import type { QueryRow, SalesforceApi } from './salesforce-api';

const POLICY_SOQL = `SELECT DeveloperName, ${Object.values(POLICY_TYPE.fields).join(', ')} FROM ${POLICY_TYPE.name} LIMIT 200`;
const SOURCES_SOQL = `SELECT DeveloperName, ${[
  TRUSTED_SOURCE_TYPE.fields.pattern,
  TRUSTED_SOURCE_TYPE.fields.matchType,
  TRUSTED_SOURCE_TYPE.fields.appliesTo,
  TRUSTED_SOURCE_TYPE.fields.trusted,
  TRUSTED_SOURCE_TYPE.fields.expiresOn
].join(', ')} FROM ${TRUSTED_SOURCE_TYPE.name} LIMIT 2000`;

const reader = (row: QueryRow) => (field: string) => row.fields[field] || null;

/**
 * The policy in force in an org: its `Synthetic_Policy__mdt` and `Trusted_AI_Source__mdt`
 * records, as the triggers read them (drift and seeding expectations must use these, not the
 * package defaults, because admins tune them).
 */
export async function readOrgPolicy(api: SalesforceApi): Promise<PolicySet> {
  const set: PolicySet = { policies: {}, trustedSources: [] };
  for (const row of await api.queryAll(POLICY_SOQL)) {
    const object = row.fields[POLICY_TYPE.fields.governedObject] || row.fields.DeveloperName || '';
    set.policies[object] = toObjectPolicy(reader(row));
  }
  for (const row of await api.queryAll(SOURCES_SOQL))
    set.trustedSources.push(toTrustedSource(reader(row)));
  return set;
}

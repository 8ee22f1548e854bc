import type { GovernedObject } from '../provenance-model/schema';
import { TrustedSource, TrustedSourceRegistry, trustedAt } from '../policy/trusted-source-registry';
import type { Control, Finding } from './findings';

/**
 * SDG-15: records whose AI model or provenance source has no approved, unexpired entry in the
 * org's trusted source registry (`Trusted_AI_Source__mdt`, approved through AI Source Requests).
 * The policy engine only blocks explicitly untrusted sources; this control also names the
 * unknown ones, because a source nobody approved is what a regulator asks about.
 */
export const SOURCE_APPROVAL_CONTROL: Control = {
  id: 'SDG-15',
  title: 'Records come from approved, unexpired AI models and sources'
};

type AppliesTo = TrustedSource['appliesTo'];
const FIELDS: readonly [string, AppliesTo][] = [
  ['AI_Model__c', 'Model'],
  ['Provenance_Source__c', 'Source']
];

/** The values of a record that have no approved, unexpired registry entry at `now`. */
export function unapprovedValues(
  values: { AI_Model__c?: string | null; Provenance_Source__c?: string | null },
  registry: TrustedSourceRegistry,
  now: string
): string[] {
  const found: string[] = [];
  for (const [field, appliesTo] of FIELDS) {
    const value = (values[field as keyof typeof values] ?? '').trim();
    if (value !== '' && registry.verdict(value, appliesTo, now) !== 'trusted') found.push(value);
  }
  return found;
}

const escapeSoql = (text: string) => text.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
const soqlString = (text: string) => `'${escapeSoql(text)}'`;
// In a LIKE literal \% and \_ stand for the characters themselves (SOQL escape sequences).
const likePrefix = (text: string) => `'${escapeSoql(text).replace(/([%_])/g, '\\$1')}%'`;

function score(entry: TrustedSource): number {
  return (entry.matchType === 'Exact' ? 100000 : 0) + entry.pattern.trim().length;
}

function matches(field: string, entry: TrustedSource): string {
  const pattern = entry.pattern.trim();
  return entry.matchType === 'Exact'
    ? `${field} = ${soqlString(pattern)}`
    : `${field} LIKE ${likePrefix(pattern)}`;
}

/**
 * The SOQL condition selecting a field's values the registry does not trust at `now`: set, and
 * matching no trusted entry, or matching an untrusted entry no more specific trusted entry
 * overrides, or an expired entry no trusted entry at least as specific overrides. SOQL compares text case-insensitively, as the registry does.
 */
export function untrustedCondition(
  field: string,
  appliesTo: AppliesTo,
  entries: readonly TrustedSource[],
  now: string
): string {
  const relevant = entries.filter((e) => e.appliesTo === appliesTo && e.pattern.trim() !== '');
  const trusted = relevant.filter((e) => trustedAt(e, now));
  const untrusted = relevant.filter((e) => !trustedAt(e, now));
  const parts = [
    trusted.length
      ? `NOT (${trusted.map((e) => matches(field, e)).join(' OR ')})`
      : `${field} != null`
  ];
  for (const entry of untrusted) {
    // An explicit block yields only to a more specific approval; an expired approval also yields
    // to an approval in force of equal specificity (a renewal beside it).
    const overriding = trusted.filter((t) =>
      entry.trusted ? score(t) >= score(entry) : score(t) > score(entry)
    );
    parts.push(
      overriding.length
        ? `(${matches(field, entry)} AND NOT (${overriding.map((t) => matches(field, t)).join(' OR ')}))`
        : matches(field, entry)
    );
  }
  return `(${field} != null AND (${parts.join(' OR ')}))`;
}

/** The query that lists an object's records from unapproved or expired models and sources. */
export function unapprovedSourceQuery(
  object: string,
  entries: readonly TrustedSource[],
  now: string
): string {
  const conditions = FIELDS.map(([field, appliesTo]) =>
    untrustedCondition(field, appliesTo, entries, now)
  );
  return `SELECT Id, AI_Model__c, Provenance_Source__c, Synthetic_Data__c, Synthetic_Status__c FROM ${object} WHERE ${conditions.join(' OR ')}`;
}

/** The finding text of SDG-15 on one object (the record count and ids come from the tally). */
export function sourceApprovalSpec(
  object: GovernedObject,
  entries: readonly TrustedSource[],
  now: string,
  values: Map<string, number>
): Pick<Finding, 'severity' | 'title' | 'query' | 'detail'> {
  return {
    severity: 'medium',
    title: `${object} records from AI models or sources without an approved, unexpired registry entry`,
    query: unapprovedSourceQuery(object, entries, now),
    detail: `Most frequent: ${[...values]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([v, n]) => `${v} (${n})`)
      .join(
        ', '
      )}. File an AI Source Request for each source you rely on; a second admin approves it and the package deploys it into Trusted AI Sources (docs/policy.md, "Approving a new AI source").`
  };
}

/** Why SDG-15 cannot run on an export without the org's registry (null when it can). */
export function registryGap(policyFileFound: boolean, entries: unknown): string | null {
  if (!policyFileFound)
    return "the export has no policy.json (the org's Trusted_AI_Source__mdt registry): export it with the records, or pass --policy with the org's registry";
  if (!Array.isArray(entries))
    return 'policy.json has no trustedSources (the Trusted_AI_Source__mdt registry): export it again with this version';
  return null;
}

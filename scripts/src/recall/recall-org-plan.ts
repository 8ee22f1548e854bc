import { DEFAULT_BULK_THRESHOLD } from '../org/org-audit-source';
import type { QueryRow, SalesforceApi } from '../org/salesforce-api';
import { policyFor, PolicySet } from '../policy/package-policy';
import { retentionOutcome } from '../policy/retention-policy';
import { GOVERNED_OBJECTS, GovernedObject } from '../provenance-model/schema';
import { PLAN_FORMAT, RecallAction, RecallPlan, retentionSoql, seal } from './recall-plan';
import { fieldsNeeded, matches, objectsOf, RecallSelector, soqlFor } from './recall-selector';

/** Children a deleted Account takes with it in an org (Salesforce cascades the delete). */
export const ORG_CHILDREN: Partial<Record<GovernedObject, GovernedObject[]>> = {
  Account: ['Contact', 'Opportunity', 'Case']
};

/** Ids per SOQL `IN (…)` list: keeps a GET query's URL well under Salesforce's 16 KB limit. */
const IN_CHUNK = 200;

/** Options of an org plan. */
export interface OrgPlanOptions {
  action: RecallAction | 'retention';
  selector: RecallSelector | null;
  /** Retention runs: the policy in force (the org's, unless the user gave one). */
  policy?: PolicySet;
  now: string;
  /** The objects the org governs: the five, then those its policy records add (readOrgGoverned). */
  governed?: readonly string[];
  /** Governed master-detail children of each object, with the field naming the parent. */
  children?: Record<string, { child: string; field: string }[]>;
}

/**
 * What a deleted record takes with it among the governed objects: an Account's Contacts,
 * Opportunities and Cases, and each configured object's master-detail children (RecallApplier's
 * childrenOf twin).
 */
export function cascadeChildren(
  governed: readonly { object: string; parents?: { field: string; parent: string }[] }[]
): Record<string, { child: string; field: string }[]> {
  const children: Record<string, { child: string; field: string }[]> = {};
  for (const [parent, list] of Object.entries(ORG_CHILDREN))
    children[parent] = (list ?? []).map((child) => ({ child, field: 'AccountId' }));
  for (const { object, parents } of governed)
    for (const { field, parent } of parents ?? [])
      (children[parent] ??= []).push({ child: object, field });
  return children;
}

/** Streams a query through REST, or Bulk API 2.0 when it returns many rows. */
export async function* rowsOf(api: SalesforceApi, soql: string): AsyncGenerator<QueryRow> {
  const count = await api.count(
    soql.replace(/^SELECT .+? FROM/is, 'SELECT COUNT() FROM').replace(/ ORDER BY Id$/, '')
  );
  yield* count > DEFAULT_BULK_THRESHOLD ? api.bulkQuery(soql) : api.query(soql);
}

const quoted = (ids: string[]) => ids.map((id) => `'${id}'`).join(', ');

/**
 * Plans a recall on an org: the same SOQL the in-org batch runs (`soqlFor`), each row checked with
 * the selector (a reason's LIKE only narrows), and for deletes the children an Account takes with
 * it. Holds only the selected Ids, which the plan lists.
 */
export async function planFromOrg(
  api: SalesforceApi,
  options: OrgPlanOptions
): Promise<RecallPlan> {
  const selector = options.selector;
  const governed = options.governed ?? GOVERNED_OBJECTS;
  const objects: GovernedObject[] = selector
    ? objectsOf(selector, governed)
    : ([...governed] as GovernedObject[]);
  const records: Record<string, string[]> = {};
  const cascaded: Record<string, number> = {};
  const deletes: Record<string, string[]> = {};
  const soql: Record<string, string> = {};
  for (const object of objects) {
    const policy = options.policy ? policyFor(options.policy, object) : null;
    soql[object] = selector
      ? soqlFor(selector, object, ['Id', ...fieldsNeeded(selector)])
      : retentionSoql(object);
    for await (const row of rowsOf(api, soql[object])) {
      const get = (field: string) => row.fields[field] ?? '';
      let take: 'quarantine' | 'delete' | null = null;
      if (options.action === 'retention') {
        const outcome = policy ? retentionOutcome(policy, row.fields, options.now) : null;
        take = outcome === 'DELETE' ? 'delete' : outcome === 'QUARANTINE' ? 'quarantine' : null;
      } else if (selector && matches(selector, object, get))
        take = options.action === 'delete' ? 'delete' : 'quarantine';
      if (!take) continue;
      (records[object] ??= []).push(get('Id'));
      if (take === 'delete') (deletes[object] ??= []).push(get('Id'));
    }
  }
  const deleting = options.action === 'delete' ? records : deletes;
  for (const [parent, children] of Object.entries(options.children ?? cascadeChildren([]))) {
    const parents = deleting[parent] ?? [];
    for (const { child, field } of parents.length ? children : []) {
      const listed = new Set(records[child] ?? []);
      for (let i = 0; i < parents.length; i += IN_CHUNK) {
        const query = `SELECT Id FROM ${child} WHERE ${field} IN (${quoted(parents.slice(i, i + IN_CHUNK))}) ORDER BY Id`;
        for await (const row of api.query(query)) {
          const id = row.fields.Id ?? '';
          if (listed.has(id)) continue;
          listed.add(id);
          (records[child] ??= []).push(id);
          if (options.action === 'retention') (deletes[child] ??= []).push(id);
          cascaded[child] = (cascaded[child] ?? 0) + 1;
        }
      }
    }
  }
  const counts = Object.fromEntries(Object.entries(records).map(([o, ids]) => [o, ids.length]));
  return seal({
    format: PLAN_FORMAT,
    action: options.action,
    selector,
    source: { kind: 'org', org: api.session.org },
    createdAt: options.now,
    soql,
    counts,
    total: Object.values(counts).reduce((a, b) => a + b, 0),
    records,
    cascaded,
    ...(options.action === 'retention' ? { deletes, now: options.now } : {})
  });
}

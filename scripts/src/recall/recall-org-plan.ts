import { DEFAULT_BULK_THRESHOLD } from '../org/org-audit-source';
import type { DescribedChild, QueryRow, SalesforceApi } from '../org/salesforce-api';
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
  /** Governed cascade-delete children of each object (cascadeChildren). */
  children?: Record<string, CascadeChild[]>;
}

/** A governed object deleted with its parent: every field naming the parent, sorted. */
export interface CascadeChild {
  child: string;
  fields: string[];
  /** Its rows can be archived (it has IsArchived: Task, Event): read through queryAll. */
  withArchived: boolean;
}

/** The governed objects in the order the in-org run takes them: the five, then the others by API name. */
function governedOrder(governed: readonly string[]): string[] {
  const shipped = GOVERNED_OBJECTS as readonly string[];
  return [
    ...shipped.filter((o) => governed.includes(o)),
    ...governed.filter((o) => !shipped.includes(o)).sort()
  ];
}

/**
 * What a deleted record takes with it among the governed objects (RecallCascade.childrenOf's
 * twin): an Account's Contacts, Opportunities and Cases by AccountId, and every configured object
 * the parent's describe lists in a cascade-delete child relationship (the parent's word: a Task's
 * WhatId says cascadeDelete false on the field), each with all its fields naming the parent,
 * sorted, children in governed order.
 * @param governed the objects the org governs
 * @param relations each parent's describe childRelationships
 * @param archiving the objects whose rows the platform archives (they have IsArchived)
 */
export function cascadeChildren(
  governed: readonly string[],
  relations: Readonly<Record<string, readonly DescribedChild[]>> = {},
  archiving: ReadonlySet<string> = new Set()
): Record<string, CascadeChild[]> {
  const order = governedOrder(governed);
  const configured = new Set(
    order.filter((o) => !(GOVERNED_OBJECTS as readonly string[]).includes(o))
  );
  const children: Record<string, CascadeChild[]> = {};
  for (const parent of order) {
    const found = new Map<string, Set<string>>();
    for (const child of ORG_CHILDREN[parent as GovernedObject] ?? [])
      found.set(child, new Set(['AccountId']));
    for (const relation of relations[parent] ?? [])
      if (relation.cascadeDelete && configured.has(relation.childSObject))
        found.set(
          relation.childSObject,
          (found.get(relation.childSObject) ?? new Set()).add(relation.field)
        );
    const list = order
      .filter((child) => found.has(child))
      .map((child) => ({
        child,
        fields: [...found.get(child)!].sort(),
        withArchived: archiving.has(child)
      }));
    if (list.length) children[parent] = list;
  }
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
  const children = options.children ?? cascadeChildren(governed);
  // The children of the deleted records, then theirs (RecallCascade reads one level further).
  let parentsOf: Record<string, string[]> = deleting;
  for (let level = 0; level < 2; level++) {
    const found: Record<string, string[]> = {};
    for (const [parent, list] of Object.entries(children)) {
      const parents = parentsOf[parent] ?? [];
      for (const { child, fields, withArchived } of parents.length ? list : []) {
        const listed = new Set(records[child] ?? []);
        for (let i = 0; i < parents.length; i += IN_CHUNK) {
          const ids = quoted(parents.slice(i, i + IN_CHUNK));
          const where = fields.map((field) => `${field} IN (${ids})`).join(' OR ');
          // Archived activities come only through queryAll, which returns the recycle bin too.
          const query = `SELECT Id FROM ${child} WHERE (${where})${withArchived ? ' AND IsDeleted = false' : ''} ORDER BY Id`;
          const rows = withArchived ? api.queryIncludingArchived(query) : api.query(query);
          for await (const row of rows) {
            const id = row.fields.Id ?? '';
            if (listed.has(id)) continue;
            listed.add(id);
            (records[child] ??= []).push(id);
            (found[child] ??= []).push(id);
            if (options.action === 'retention') (deletes[child] ??= []).push(id);
            cascaded[child] = (cascaded[child] ?? 0) + 1;
          }
        }
      }
    }
    parentsOf = found;
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

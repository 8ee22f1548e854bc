import type { AuditEvent } from '../audit-chain/canonical';
import { toEvent } from '../audit-chain/export-reader';
import type { AuditSource } from '../audit/audit-source';
import type { GovernedColumns } from '../audit/governed-columns';
import type { ExportRow } from '../audit/record-reader';
import type { Progress } from '../cli/progress';
import { AUDIT_EVENT, GovernedObject } from '../provenance-model/schema';
import { AUDIT_EVENT_COLUMNS, columnsOf, OBJECT_ORDER } from '../seed/export-layout';
import type { QueryRow, SalesforceApi } from './salesforce-api';

/** Above this many rows an object is read with a Bulk API 2.0 query job instead of REST. */
export const DEFAULT_BULK_THRESHOLD = 10_000;

/** The query that reads an object for an audit: the same columns as an export. */
export function auditQuery(object: GovernedObject): string {
  return `SELECT ${columnsOf(object).join(', ')} FROM ${object}`;
}

/** The query that reads the audit chain, in chain order (REST). */
export const AUDIT_EVENTS_QUERY = `SELECT ${AUDIT_EVENT_COLUMNS.join(', ')} FROM ${AUDIT_EVENT.name} ORDER BY ${AUDIT_EVENT.fields.sequence}`;

/**
 * Events per Bulk API 2.0 query job. ORDER BY turns off PK chunking (a large event table could
 * time out), so Bulk reads the chain in sequence windows without it and sorts each window here:
 * memory holds one window, never the whole chain.
 */
export const EVENT_WINDOW = 50_000;

const SEQUENCE = AUDIT_EVENT.fields.sequence;

/** The Bulk API 2.0 query of one window of the chain: no ORDER BY. */
export function auditEventsWindowQuery(from: number, to: number): string {
  return `SELECT ${AUDIT_EVENT_COLUMNS.join(', ')} FROM ${AUDIT_EVENT.name} WHERE ${SEQUENCE} >= ${from} AND ${SEQUENCE} < ${to}`;
}

/** How an org source read each object: row count and API (for the report and `--json`). */
export interface OrgReadPlan {
  [object: string]: { rows: number; api: 'REST' | 'Bulk API 2.0' };
}

/**
 * Reads an org the way an export would: counts every object first (so the bar knows its
 * total and small objects use REST), then streams rows page by page; nothing is held whole.
 */
export async function orgSource(
  api: SalesforceApi,
  options: {
    bulkThreshold: number;
    progress: Progress;
    eventWindow?: number;
    /** Objects the org's policy records govern beyond the five, with their columns (readOrgGoverned). */
    governed?: readonly GovernedColumns[];
  }
): Promise<AuditSource & { plan: OrgReadPlan }> {
  const window = options.eventWindow ?? EVENT_WINDOW;
  const plan: OrgReadPlan = {};
  const pick = (rows: number) => (rows > options.bulkThreshold ? 'Bulk API 2.0' : 'REST');
  const configured = new Map((options.governed ?? []).map((g) => [g.object, g.columns]));
  // Parents first (the five's order), then the configured objects in the policy's order.
  const objects = [...OBJECT_ORDER, ...configured.keys()] as GovernedObject[];
  const queryOf = (object: GovernedObject) => {
    const columns = configured.get(object);
    return columns ? `SELECT ${columns.join(', ')} FROM ${object}` : auditQuery(object);
  };
  for (const object of [AUDIT_EVENT.name, ...objects]) {
    const rows = await api.count(`SELECT COUNT() FROM ${object}`);
    plan[object] = { rows, api: pick(rows) };
  }
  const total = Object.values(plan).reduce((n, p) => n + p.rows, 0);
  options.progress.start(`Auditing ${api.session.org}`, total);
  const read = (object: string, soql: string): AsyncGenerator<QueryRow> =>
    plan[object]!.api === 'REST' ? api.query(soql) : api.bulkQuery(soql);
  async function* counted<T>(rows: AsyncIterable<T>): AsyncGenerator<T> {
    for await (const row of rows) {
      options.progress.tick();
      yield row;
    }
  }
  async function* events(): AsyncGenerator<AuditEvent> {
    if (plan[AUDIT_EVENT.name]!.api === 'REST') {
      for await (const row of counted(api.query(AUDIT_EVENTS_QUERY)))
        yield toEvent(row.fields, row.where);
      return;
    }
    // The last sequence through REST (LIMIT 1 on the indexed sequence), then window by window.
    const [last] = await api.queryAll(
      `SELECT ${SEQUENCE} FROM ${AUDIT_EVENT.name} ORDER BY ${SEQUENCE} DESC LIMIT 1`
    );
    const top = Number(last?.fields[SEQUENCE] ?? 0);
    for (let from = 0; from <= top; from += window) {
      const batch: AuditEvent[] = [];
      for await (const row of counted(api.bulkQuery(auditEventsWindowQuery(from, from + window))))
        batch.push(toEvent(row.fields, row.where));
      batch.sort((a, b) => a.sequence - b.sequence);
      yield* batch;
    }
  }
  return {
    label: `org ${api.session.org} (${api.session.username}, ${api.session.instanceUrl})`,
    plan,
    events: () => (plan[AUDIT_EVENT.name]!.rows > 0 ? events() : null),
    objects,
    records: (object) => (plan[object] ? counted<ExportRow>(read(object, queryOf(object))) : null)
  };
}

import { createHash } from 'node:crypto';
import { to18 } from '../audit-chain/export-reader';
import { GovernedObject, HISTORY_OBJECTS } from '../provenance-model/schema';
import type { SeededRecord } from './seed-generator';

/**
 * Field history as the weekly Data Export writes it (`LeadHistory.csv` …): the fields of the
 * History objects (jsforce's standard schema: Id, IsDeleted, the parent Id, CreatedById,
 * CreatedDate, Field, OldValue, NewValue; and DataType, which the current field reference lists).
 * An owner change is two rows at one time, as the org records it: the Id row (DataType
 * `EntityId`) and the name row.
 */
export function historyColumns(object: GovernedObject): string[] {
  const { parent } = HISTORY_OBJECTS[object];
  return [
    'Id',
    'IsDeleted',
    parent,
    'CreatedById',
    'CreatedDate',
    'Field',
    'DataType',
    'OldValue',
    'NewValue'
  ];
}

/** The file a history object is exported to. */
export const historyFileName = (object: GovernedObject) => `${HISTORY_OBJECTS[object].name}.csv`;

const INTEGRATION_USER = { id: '005000000000001AAA', name: 'Integration User' };
const SALES_REP = { id: to18('0055g0000000002'), name: 'Avery Sales' };
/** The package's quarantine queue, as Group.csv and the history's name row know it. */
const QUARANTINE_QUEUE = { id: to18('00G5g0000000001'), name: 'Synthetic Data Quarantine' };

/** Objects a queue can own: the ones quarantine routing moves into its queue. */
const QUEUE_OWNED: readonly GovernedObject[] = ['Lead', 'Case'];
const MINUTE = 60_000;

/** A number from a record's Id: history is derived from the record, never from the seed's stream. */
function bucket(id: string): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0);
}

interface OwnerChange {
  at: number;
  by: { id: string };
  from: { id: string; name: string };
  to: { id: string; name: string };
}

/**
 * The owner changes a seeded record went through, up to the reference time:
 * - a quarantined Lead or Case is routed into the quarantine queue a second after it is created
 *   (a holding queue: no automated decision);
 * - one in eight of those Leads is later taken out of the queue by assignment to a sales rep while
 *   still quarantined: planted on purpose, the sample's SDG-13 findings;
 * - one in four Leads the policy lets through is assigned to a sales rep five minutes after it is
 *   created (an allowed automated decision).
 */
function ownerChanges(record: SeededRecord, reference: number): OwnerChange[] {
  if (!QUEUE_OWNED.includes(record.object)) return [];
  const id = String(record.fields.Id);
  const created = Date.parse(String(record.fields.CreatedDate));
  const status = record.fields.Synthetic_Status__c;
  const n = bucket(id);
  const changes: OwnerChange[] = [];
  if (status === 'Quarantined') {
    changes.push({
      at: created + 1000,
      by: INTEGRATION_USER,
      from: INTEGRATION_USER,
      to: QUARANTINE_QUEUE
    });
    if (record.object === 'Lead' && n % 8 === 0)
      changes.push({
        at: Math.min(created + 1440 * MINUTE, reference - MINUTE),
        by: INTEGRATION_USER,
        from: QUARANTINE_QUEUE,
        to: SALES_REP
      });
  } else if (!status && record.object === 'Lead' && n % 4 === 0)
    changes.push({
      at: created + 5 * MINUTE,
      by: INTEGRATION_USER,
      from: INTEGRATION_USER,
      to: SALES_REP
    });
  return changes.filter((c) => c.at > created && c.at <= reference);
}

/** The history rows of one record, in time order, each keyed by the next history Id. */
export function historyRows(
  record: SeededRecord,
  referenceTime: string,
  nextId: () => string
): Record<string, string>[] {
  const { parent } = HISTORY_OBJECTS[record.object];
  const rows: Record<string, string>[] = [];
  for (const change of ownerChanges(record, Date.parse(referenceTime))) {
    const base = {
      IsDeleted: 'false',
      [parent]: String(record.fields.Id),
      CreatedById: change.by.id,
      CreatedDate: new Date(change.at).toISOString(),
      Field: 'Owner'
    };
    rows.push({
      Id: nextId(),
      ...base,
      DataType: 'EntityId',
      OldValue: change.from.id,
      NewValue: change.to.id
    });
    // The name row's DataType is not in the reference: left empty rather than guessed.
    rows.push({ Id: nextId(), ...base, OldValue: change.from.name, NewValue: change.to.name });
  }
  return rows;
}

import { HISTORY_OBJECTS, type GovernedObject } from '../provenance-model/schema';
import { objectFileStem } from '../audit/export-inventory';
import { headerIndex } from './recall-export';
import { readRawRecords } from './raw-csv';
import type { RecallSource } from './recall-source';

/** One tracked change. */
export interface FieldChange {
  field: string;
  oldValue: string;
  at: number;
}

/** Changes per record key, oldest first. */
export type History = Map<string, FieldChange[]>;

/**
 * The history files of an object in an export (folder, zip or Data Export set), by their paths in
 * it: `LeadHistory.csv`, and `LeadHistory.part2.csv` … where a set's later zips hold more of it.
 */
export function historyFiles(source: RecallSource, object: GovernedObject): string[] {
  const name = HISTORY_OBJECTS[object].name.toLowerCase();
  return source.files.filter(
    (rel) => !rel.includes('/') && /\.csv$/i.test(rel) && objectFileStem(rel).toLowerCase() === name
  );
}

/** Reads the history of the given records (Salesforce's `<Object>History` export). */
export async function readHistory(
  file: Parameters<typeof readRawRecords>[0],
  object: GovernedObject,
  keys: ReadonlySet<string>
): Promise<History> {
  const history: History = new Map();
  let index: Map<string, number> | null = null;
  for await (const record of readRawRecords(file)) {
    if (!index) {
      index = headerIndex(record);
      continue;
    }
    const get = (name: string) => record.values[index!.get(name.toLowerCase()) ?? -1] ?? '';
    const parent = get(HISTORY_OBJECTS[object].parent) || get('ParentId');
    if (!keys.has(parent)) continue;
    const at = Date.parse(get('CreatedDate'));
    const field = lookupField(get('Field'), get('DataType'));
    if (!field || Number.isNaN(at)) continue;
    const changes = history.get(parent) ?? [];
    changes.push({ field, oldValue: get('OldValue'), at });
    history.set(parent, changes);
  }
  for (const changes of history.values()) changes.sort((a, b) => a.at - b.at);
  return history;
}

/**
 * The field a history row restores, as Apex RecallHistory reads it: an owner change is two rows
 * under `Owner`, the Id row (DataType `EntityId`) restores `OwnerId` (any lookup's Id row restores
 * its Id field) and the name row is skipped. Without the DataType column the two cannot be told
 * apart, so Owner rows are skipped: restore leaves ownership alone rather than write a name as an Id.
 */
function lookupField(field: string, dataType: string): string | null {
  if (!field) return null;
  if (dataType === 'EntityId') return /(?:Id|__c)$/.test(field) ? field : `${field}Id`;
  return field === 'Owner' ? null : field;
}
/** What a restore does to one record: the values to put back, or why it cannot. */
export type Restoration = { values: Map<string, string> } | { cannot: string };

/**
 * The pre-window value of each field changed in the window [from, until): the old value of the
 * field's first change in it. A record created in the window, or without tracked changes in it,
 * cannot be restored: nothing is guessed.
 */
export function restoration(
  changes: FieldChange[] | undefined,
  from: number,
  until: number
): Restoration {
  const inWindow = (changes ?? []).filter((c) => c.at >= from && c.at < until);
  if (inWindow.some((c) => c.field.toLowerCase() === 'created'))
    return { cannot: 'created in the window, not updated: recall it with --action delete' };
  if (!inWindow.length) return { cannot: 'no field history in the window' };
  const values = new Map<string, string>();
  for (const change of inWindow)
    if (!values.has(change.field)) values.set(change.field, change.oldValue);
  return { values };
}

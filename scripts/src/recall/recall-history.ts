import { HISTORY_OBJECTS, type GovernedObject } from '../provenance-model/schema';
import { objectFileStem } from '../audit/export-inventory';
import { headerIndex } from './recall-export';
import { readRawRecords } from './raw-csv';
import type { RecallSource } from './recall-source';

/** One history row of a record, as read. */
export interface FieldChange {
  /** The history Field value: an API name, a standard lookup's relationship (Owner, Account), created … */
  field: string;
  /** The history DataType (`EntityId` marks a lookup's Id row); null when the export has no DataType column. */
  dataType: string | null;
  oldValue: string;
  at: number;
}

/**
 * The history Field values that name lookups: Owner, and every field with an Id row (DataType
 * `EntityId`) in the object's history files, as a lookup change always writes one.
 */
export type Lookups = Set<string>;

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

/**
 * Reads the history of the given records (Salesforce's `<Object>History` export), and adds to
 * `lookups` the fields any record of the file has an Id row for.
 */
export async function readHistory(
  file: Parameters<typeof readRawRecords>[0],
  object: GovernedObject,
  keys: ReadonlySet<string>,
  lookups: Lookups = new Set()
): Promise<History> {
  const history: History = new Map();
  let index: Map<string, number> | null = null;
  for await (const record of readRawRecords(file)) {
    if (!index) {
      index = headerIndex(record);
      continue;
    }
    const get = (name: string) => record.values[index!.get(name.toLowerCase()) ?? -1] ?? '';
    const field = get('Field');
    const dataType = index.has('datatype') ? get('DataType') : null;
    if (dataType === 'EntityId') lookups.add(field);
    const parent = get(HISTORY_OBJECTS[object].parent) || get('ParentId');
    if (!keys.has(parent)) continue;
    const at = Date.parse(get('CreatedDate'));
    if (!field || Number.isNaN(at)) continue;
    const changes = history.get(parent) ?? [];
    changes.push({ field, dataType, oldValue: get('OldValue'), at });
    history.set(parent, changes);
  }
  for (const changes of history.values()) changes.sort((a, b) => a.at - b.at);
  return history;
}

/**
 * The field a history row restores, as Apex RecallHistory reads it: a lookup change is two rows
 * under the lookup's history name (`Owner`, `Account`, `Reviewer__c`): the Id row (DataType
 * `EntityId`) restores the Id field (`OwnerId`, `AccountId`, `Reviewer__c`) and the name row,
 * which holds the names shown in the UI, is skipped. Without the DataType column the two rows of
 * a change (one field, one time) cannot be told apart, so both are skipped, and so are Owner rows:
 * restore leaves the lookup alone rather than write a name as an Id.
 */
function restoredField(
  change: FieldChange,
  changes: readonly FieldChange[],
  lookups: ReadonlySet<string>
): string | null {
  const { field } = change;
  // Rows that record an event, not a field (`ownerAssignment`, `leadConverted`, `locked` …), are
  // named in lower camel case; every standard field starts upper case, every custom one ends __c.
  if (/^[a-z]/.test(field) && !/__c$/i.test(field)) return null;
  if (change.dataType === 'EntityId') return /(?:Id|__c)$/.test(field) ? field : `${field}Id`;
  if (field === 'Owner' || lookups.has(field)) return null;
  const pair = (other: FieldChange) =>
    other !== change && other.field === field && other.at === change.at;
  if (change.dataType === null && changes.some(pair)) return null;
  return field;
}

/**
 * The org's restore messages word for word (Custom Labels SDG_Recall_Cannot_Restore and
 * SDG_Recall_Restore_No_History; recall-history.test.ts compares them with the labels file), so an
 * offline report reads as the org's recall item does. The two refusals that name what to do next
 * keep the CLI's wording, not their labels' (SDG_Recall_Restore_Created_In_Window says "recall it
 * with Delete", SDG_Recall_Restore_No_Window_Start "no since"): offline, the fix is a flag
 * (--action delete, --since), and the label's words would not name it.
 */
export const RESTORE_LABELS = {
  cannotRestore: 'Cannot restore: {0}',
  noHistory: 'no field history in the window'
} as const;

/** The message of a record a restore refuses, as SDG_Recall_Cannot_Restore words it. */
export function cannotRestoreMessage(why: string): string {
  return RESTORE_LABELS.cannotRestore.replace('{0}', why);
}

/** What a restore does to one record: the values to put back, or why it cannot. */
export type Restoration = { values: Map<string, string> } | { cannot: string };

/**
 * The pre-window value of each field changed in the window [from, until): the old value of the
 * field's first change in it. A record created in the window, or without tracked changes in it,
 * cannot be restored: nothing is guessed. Given the fields the object is known to have (lower
 * case: the export's columns and its writable standard fields), a row whose field is not one of
 * them is skipped, as Apex RecallHistory skips a field the object no longer has: history outlives
 * a deleted field, and a value for it has nowhere to go.
 */
export function restoration(
  changes: FieldChange[] | undefined,
  from: number,
  until: number,
  lookups: ReadonlySet<string> = new Set(),
  columns?: ReadonlySet<string>
): Restoration {
  const inWindow = (changes ?? []).filter((c) => c.at >= from && c.at < until);
  if (inWindow.some((c) => c.field.toLowerCase() === 'created'))
    return { cannot: 'created in the window, not updated: recall it with --action delete' };
  if (!inWindow.length) return { cannot: RESTORE_LABELS.noHistory };
  const values = new Map<string, string>();
  for (const change of inWindow) {
    const field = restoredField(change, inWindow, lookups);
    if (!field || (columns && !columns.has(field.toLowerCase()))) continue;
    if (!values.has(field)) values.set(field, change.oldValue);
  }
  if (!values.size) return { cannot: RESTORE_LABELS.noHistory };
  return { values };
}

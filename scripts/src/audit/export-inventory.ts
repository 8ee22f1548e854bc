import Papa from 'papaparse';
import { ExportFormatError } from '../audit-chain/export-format-error';
import { GOVERNED_OBJECTS, GovernedObject, HISTORY_OBJECTS } from '../provenance-model/schema';
import { EXPORT_FILES } from '../seed/export-layout';
import { entryHead, ExportContainer, ExportEntry, openContainer } from './export-container';

/** The audit-event object: its file holds the chain, not governed records. */
export const EVENT_OBJECT = 'Synthetic_Audit_Event__c';

/**
 * Key prefixes (the first three characters of a record Id) of the standard objects an export
 * may hold. Custom objects' prefixes differ per org, so the event file is known by its columns.
 */
export const KEY_PREFIXES: Record<string, string> = {
  '001': 'Account',
  '003': 'Contact',
  '006': 'Opportunity',
  '500': 'Case',
  '00Q': 'Lead',
  '068': 'ContentVersion',
  '069': 'ContentDocument',
  '005': 'User',
  '00T': 'Task',
  '00U': 'Event'
};

/** What one file of an export is, and how that was decided (reports say it). */
export interface InventoryFile {
  name: string;
  /** Its path inside the export, unique across it (see ExportEntry.rel). */
  rel: string;
  where: string;
  format: 'csv' | 'tree' | 'plan' | 'other';
  /** A governed object, the audit events, or null (a file the audit does not read). */
  object: GovernedObject | typeof EVENT_OBJECT | null;
  /** "file name", "plan file plan.json", "--object", "Id prefix 003", "attributes.type", "columns". */
  how: string;
  /** Why a file is not read. */
  note?: string;
}

/** An export, classified: which files hold which records. */
export interface Inventory {
  label: string;
  container: ExportContainer;
  files: InventoryFile[];
  entries: Map<string, ExportEntry>;
}

const EVENT_COLUMNS = ['sequence__c', 'previous_hash__c', 'hash__c'];
/** The objects whose files an inventory classifies: the governed ones and the audit events. */
type KnownObjects = readonly string[];
const KNOWN_OBJECTS: KnownObjects = [...GOVERNED_OBJECTS, EVENT_OBJECT];
/** Files an `sdg seed` export carries besides records: read by the audit on their own terms. */
const SIDE_FILES = new Set([EXPORT_FILES.policy, EXPORT_FILES.manifest, EXPORT_FILES.hmacKey]);

const knownIn = (name: string, known: KnownObjects) => knownObject(name, known);

// Objects beyond the five (named by the export's policy, see governedObjectsOf) are typed as
// GovernedObject: every reader treats them like one, by name.
function knownObject(
  name: string,
  known: KnownObjects = KNOWN_OBJECTS
): GovernedObject | typeof EVENT_OBJECT | null {
  const lower = name.toLowerCase();
  return (known.find((o) => o.toLowerCase() === lower) as GovernedObject) ?? null;
}

/**
 * The object a CSV's name says: `Lead.csv`, and `Lead.part2.csv` (a recall's copy of the Lead.csv
 * of a Data Export set's second zip, when the first holds one too).
 */
export function objectFileStem(name: string): string {
  return name.replace(/(?:\.part\d+)?\.csv$/i, '');
}

/** Parses `--object FILE=Object` mappings. */
export function parseObjectMappings(
  values: string[],
  known: KnownObjects = KNOWN_OBJECTS
): Map<string, string> {
  const out = new Map<string, string>();
  for (const value of values) {
    const at = value.lastIndexOf('=');
    const file = value.slice(0, at).trim();
    const object = knownObject(value.slice(at + 1).trim(), known);
    if (at <= 0 || !object)
      throw new ExportFormatError(
        `--object takes FILE=Object with Object one of ${known.join(', ')}, got "${value}".`
      );
    out.set(file.toLowerCase(), object);
  }
  return out;
}

interface PlanEntry {
  sobject?: unknown;
  files?: unknown;
}

/** An `sf data export tree --plan` plan: `[{"sobject":"Account","files":["Accounts.json"]}]`. */
function planObjects(text: string): Map<string, string> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return null;
  const map = new Map<string, string>();
  for (const step of parsed as PlanEntry[]) {
    if (typeof step?.sobject !== 'string' || !Array.isArray(step.files)) return null;
    for (const file of step.files)
      if (typeof file === 'string') map.set(file.split('/').pop()!.toLowerCase(), step.sobject);
  }
  return map;
}

function csvHead(text: string): { header: string[]; first: string[] | null } {
  const parsed = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { preview: 2 });
  const [header = [], first = null] = parsed.data;
  return { header, first };
}

function classifyJson(
  entry: ExportEntry,
  head: string,
  hints: Map<string, string>,
  known: KnownObjects
): InventoryFile {
  const knownObject = (name: string) => knownIn(name, known);
  const base = { name: entry.name, rel: entry.rel, where: entry.where };
  const trimmed = head.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('['))
    return { ...base, format: 'other', object: null, how: '', note: 'not JSON' };
  const type = /"attributes"\s*:\s*\{[^}]*?"type"\s*:\s*"([A-Za-z0-9_]+)"/.exec(head)?.[1];
  const typed = type ? knownObject(type) : null;
  if (typed) return { ...base, format: 'tree', object: typed, how: 'attributes.type' };
  if (type)
    return {
      ...base,
      format: 'tree',
      object: null,
      how: 'attributes.type',
      note: `${type} records: not a governed object`
    };
  if (/"sequence__c"/i.test(head) && /"hash__c"/i.test(head))
    return { ...base, format: 'tree', object: EVENT_OBJECT, how: 'columns' };
  const hinted = hints.get(entry.name.toLowerCase());
  if (hinted && knownObject(hinted))
    return { ...base, format: 'tree', object: knownObject(hinted), how: 'plan' };
  return {
    ...base,
    format: 'other',
    object: null,
    how: '',
    note: 'JSON without sObject records'
  };
}

function classifyCsv(
  entry: ExportEntry,
  head: string,
  mappings: Map<string, string>,
  hints: Map<string, string>,
  known: KnownObjects
): InventoryFile {
  const knownObject = (name: string) => knownIn(name, known);
  const base = { name: entry.name, rel: entry.rel, where: entry.where, format: 'csv' as const };
  const mapped = mappings.get(entry.name.toLowerCase());
  if (mapped) return { ...base, object: knownObject(mapped), how: '--object' };
  const hinted = hints.get(entry.name.toLowerCase());
  if (hinted && knownObject(hinted)) return { ...base, object: knownObject(hinted), how: 'plan' };
  const named = knownObject(objectFileStem(entry.name));
  if (named) return { ...base, object: named, how: 'file name' };
  const history = Object.entries(HISTORY_OBJECTS).find(
    ([, h]) => h.name.toLowerCase() === objectFileStem(entry.name).toLowerCase()
  );
  if (history)
    return {
      ...base,
      object: null,
      how: 'file name',
      note: `field history of ${history[0]}: read by SDG-13 and recall --action restore`
    };
  const { header, first } = csvHead(head);
  const lower = header.map((h) => h.trim().toLowerCase());
  if (EVENT_COLUMNS.every((c) => lower.includes(c)))
    return { ...base, object: EVENT_OBJECT, how: 'columns' };
  const idAt = lower.indexOf('id');
  const prefix = idAt >= 0 && first ? (first[idAt] ?? '').slice(0, 3) : '';
  const byPrefix = KEY_PREFIXES[prefix];
  if (byPrefix && knownObject(byPrefix))
    return { ...base, object: knownObject(byPrefix), how: `Id prefix ${prefix}` };
  return {
    ...base,
    object: null,
    how: prefix ? `Id prefix ${prefix}` : '',
    note: byPrefix
      ? `${byPrefix} records: not a governed object`
      : 'no object: name it with --object FILE=Object'
  };
}

/**
 * Opens and classifies an export: a folder or Data Export zip of CSVs (`Account.csv`, Bulk API
 * 2.0 results, Data Loader files under any name) and sObject tree JSON with or without a plan.
 * A file's object comes from `--object`, the plan, its name, its `attributes.type`, the event
 * columns, or its first record's Id key prefix, in that order.
 */
export async function openInventory(
  from: string,
  options: { objects?: string[]; governed?: readonly string[] } = {}
): Promise<Inventory> {
  const known = options.governed ? [...options.governed, EVENT_OBJECT] : KNOWN_OBJECTS;
  const mappings = parseObjectMappings(options.objects ?? [], known);
  const container = await openContainer(from);
  try {
    const heads = new Map<string, string>();
    const hints = new Map<string, string>();
    const files: InventoryFile[] = [];
    for (const entry of container.entries) {
      if (SIDE_FILES.has(entry.name)) continue;
      const head = (await entryHead(entry)).toString('utf8');
      heads.set(entry.where, head);
      if (/\.json$/i.test(entry.name) && /^\s*\[/.test(head) && /"sobject"/.test(head)) {
        const plan = planObjects(
          entry.size <= 1 << 20 ? (await entryHead(entry, 1 << 20)).toString('utf8') : head
        );
        if (plan) {
          for (const [file, object] of plan) hints.set(file, object);
          files.push({
            name: entry.name,
            rel: entry.rel,
            where: entry.where,
            format: 'plan',
            object: null,
            how: ''
          });
          heads.delete(entry.where);
        }
      }
    }
    for (const entry of container.entries) {
      const head = heads.get(entry.where);
      if (head === undefined) continue;
      if (/\.json$/i.test(entry.name) || (!/\.csv$/i.test(entry.name) && /^\s*[[{]/.test(head)))
        files.push(classifyJson(entry, head, hints, known));
      else if (/\.csv$/i.test(entry.name) || mappings.has(entry.name.toLowerCase()))
        files.push(classifyCsv(entry, head, mappings, hints, known));
      else
        files.push({
          name: entry.name,
          rel: entry.rel,
          where: entry.where,
          format: 'other',
          object: null,
          how: '',
          note: 'not a CSV or JSON export file'
        });
    }
    if (!files.some((f) => f.object !== null)) {
      const seen = files.map((f) => `${f.name}${f.note ? ` (${f.note})` : ''}`).join(', ');
      throw new ExportFormatError(
        `${from}: not a Salesforce export: no file holds ${known.slice(0, -1).join(', ')} or ${EVENT_OBJECT} records${seen ? ` (found ${seen})` : ' (it is empty)'}. Give the folder of an sf data export (tree JSON or CSV), a Data Export zip, or name files with --object FILE=Object.`
      );
    }
    return {
      label: from,
      container,
      files,
      entries: new Map(container.entries.map((e) => [e.where, e]))
    };
  } catch (error) {
    container.close();
    throw error;
  }
}

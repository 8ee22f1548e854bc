import type { AuditEvent } from '../audit-chain/canonical';
import { COLUMNS, eventBatchesFromCsv, toEvent } from '../audit-chain/export-reader';
import { ExportFormatError } from '../audit-chain/export-format-error';
import { GovernedObject, PROVENANCE_FIELDS } from '../provenance-model/schema';
import { OBJECT_ORDER } from '../seed/export-layout';
import { EVENT_OBJECT, Inventory, InventoryFile, openInventory } from './export-inventory';
import { ExportRow, KNOWN_COLUMNS, readCsvRowBatches } from './record-reader';
import { readTreeRowBatches, TreeColumns } from './tree-json';

/** Where an audit reads from: an export folder or an org. `null` means "not in this source". */
export interface AuditSource {
  /** Named in the reports ("reports/sample-export", "org prod"). */
  label: string;
  events(): AsyncIterable<AuditEvent> | null;
  records(object: GovernedObject): AsyncIterable<ExportRow> | null;
  /** The objects it reads, in order (an org's five and those its policy governs); default the five. */
  objects?: readonly GovernedObject[];
}

/** An export: every record in one pass, and what the export holds (for not-run controls). */
export interface ExportSource extends AuditSource {
  /** Every governed record of the export in one pass, parents' files first. */
  rows(): AsyncIterable<{ object: GovernedObject; row: ExportRow }>;
  /** The same records in batches (one await per batch: what the audit reads at speed). */
  rowBatches(): AsyncIterable<{ object: GovernedObject; row: ExportRow }[]>;
  /** The audit events in batches, or null without an event file (as events()). */
  eventBatches(): AsyncIterable<AuditEvent[]> | null;
  /** The files and how each was classified. */
  files: InventoryFile[];
  /** Bytes of the audit event files (a zip entry's uncompressed size): where to verify the chain. */
  eventBytes: number;
  /** Columns seen per object (known after reading). */
  columns: Map<GovernedObject, Set<string>>;
  close(): void;
}

/** Columns without which an object's CSV rows cannot be audited at all. */
export const REQUIRED_COLUMNS = ['Id'];

function sortedRecordFiles(inventory: Inventory, order: readonly string[]): InventoryFile[] {
  // Parents before children (OBJECT_ORDER), then the objects the policy adds, in its order.
  const rank = (object: string | null) => {
    const at = OBJECT_ORDER.indexOf(object as GovernedObject);
    return at >= 0 ? at : OBJECT_ORDER.length + order.indexOf(object ?? '');
  };
  return inventory.files
    .filter((f) => f.object !== null && f.object !== EVENT_OBJECT)
    .sort((a, b) => rank(a.object) - rank(b.object) || a.where.localeCompare(b.where));
}

/** Options of an export source. */
export interface ExportSourceOptions {
  /** `--object FILE=Object` mappings. */
  objects?: string[];
  /** The governed objects, when the policy adds some to the five (see governedObjectsOf). */
  governed?: readonly string[];
}

/**
 * Opens an export for auditing: a folder or Data Export zip, CSV (Bulk API 2.0, Data Loader,
 * Data Export) or sObject tree JSON, through one strict reader shared by every command.
 */
export async function openExport(
  from: string,
  options: ExportSourceOptions = {}
): Promise<ExportSource> {
  const inventory = await openInventory(from, options);
  const order: readonly string[] = options.governed ?? OBJECT_ORDER;
  const recordFiles = sortedRecordFiles(inventory, order);
  const eventFiles = inventory.files.filter((f) => f.object === EVENT_OBJECT);
  const columns = new Map<GovernedObject, Set<string>>();
  const seen = (object: GovernedObject, names: Iterable<string>) => {
    let set = columns.get(object);
    if (!set) columns.set(object, (set = new Set()));
    for (const name of names) set.add(name);
  };
  type Item = { object: GovernedObject; row: ExportRow };
  async function* fileBatches(file: InventoryFile): AsyncGenerator<Item[]> {
    const entry = inventory.entries.get(file.where)!;
    if (file.format === 'csv') {
      const object = file.object as GovernedObject;
      let first = true;
      for await (const batch of readCsvRowBatches(entry, REQUIRED_COLUMNS)) {
        if (first && batch[0]) seen(object, Object.keys(batch[0].fields));
        first = false;
        yield batch.map((row) => ({ object, row }));
      }
      if (first) seen(object, []);
      return;
    }
    // Columns per record type, noted by the reader as each name is first seen (the names of every
    // record, one at a time, cost as much as reading it).
    const treeColumns: TreeColumns = new Map();
    for await (const trees of readTreeRowBatches(entry, KNOWN_COLUMNS, file.object, treeColumns)) {
      const batch: Item[] = [];
      for (const tree of trees)
        if (order.includes(tree.type))
          batch.push({ object: tree.type as GovernedObject, row: tree });
      for (const [type, names] of treeColumns)
        if (order.includes(type)) seen(type as GovernedObject, names);
      if (batch.length) yield batch;
    }
  }
  async function* fileRows(file: InventoryFile): AsyncGenerator<Item> {
    for await (const batch of fileBatches(file)) yield* batch;
  }
  async function* rowBatches(): AsyncGenerator<Item[]> {
    for (const file of recordFiles) yield* fileBatches(file);
  }
  async function* rows(): AsyncGenerator<Item> {
    for (const file of recordFiles) yield* fileRows(file);
  }
  async function* objectRows(object: GovernedObject): AsyncGenerator<ExportRow> {
    for (const file of recordFiles)
      if (file.format !== 'csv' || file.object === object)
        for await (const item of fileRows(file)) if (item.object === object) yield item.row;
  }
  async function* eventBatches(): AsyncGenerator<AuditEvent[]> {
    for (const file of eventFiles) {
      const entry = inventory.entries.get(file.where)!;
      if (file.format === 'csv') {
        yield* eventBatchesFromCsv(entry);
        continue;
      }
      for await (const trees of readTreeRowBatches(entry, Object.values(COLUMNS), EVENT_OBJECT))
        if (trees.length) yield trees.map((tree) => toEvent(tree.fields, tree.where));
    }
  }
  async function* events(): AsyncGenerator<AuditEvent> {
    for await (const batch of eventBatches()) yield* batch;
  }
  const hasTree = recordFiles.some((f) => f.format === 'tree');
  return {
    label: from,
    files: inventory.files,
    eventBytes: eventFiles.reduce((sum, f) => sum + (inventory.entries.get(f.where)?.size ?? 0), 0),
    columns,
    rows,
    rowBatches,
    events: () => (eventFiles.length ? events() : null),
    eventBatches: () => (eventFiles.length ? eventBatches() : null),
    records: (object) =>
      hasTree || recordFiles.some((f) => f.object === object) ? objectRows(object) : null,
    close: () => inventory.container.close()
  };
}

/**
 * An export folder as an audit source for commands that read it object by object (monitor,
 * alert replay): the same reader as `sdg audit`, opened on first use.
 */
export function folderSource(dir: string, options: ExportSourceOptions = {}): AuditSource {
  let opened: Promise<ExportSource> | null = null;
  const open = () => (opened ??= openExport(dir, options));
  return {
    label: dir,
    events: () =>
      (async function* () {
        const events = (await open()).events();
        if (events) yield* events;
      })(),
    records: (object) =>
      (async function* () {
        const records = (await open()).records(object);
        if (records) yield* records;
      })()
  };
}

/** Provenance columns whose presence makes a record's provenance readable. */
export const PROVENANCE_COLUMNS = Object.values(PROVENANCE_FIELDS);

export { ExportFormatError };

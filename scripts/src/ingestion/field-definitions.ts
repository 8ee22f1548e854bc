import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root';
import { GOVERNED_OBJECTS } from '../provenance-model/schema';
import { parseTimestamp } from './disclosure-headers';

/**
 * The package's own field definitions (length, precision and scale, picklist values), generated
 * from force-app/**\/objects/**\/fields/*.field-meta.xml into the static resource
 * SyntheticFieldDefinitions, which the Apex class `FieldDefinitions` reads on the org. Both
 * engines refuse a value the org would refuse (STRING_TOO_LONG, NUMBER_OUTSIDE_VALID_RANGE,
 * INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, a date outside 1700–4000) before a record is written.
 * `npm run build:field-definitions` regenerates it; field-definitions.test.ts fails when stale.
 */

/** What the limits of one field are. */
export interface FieldDefinition {
  type: string;
  /** Characters, for text types. */
  length?: number;
  /** Total digits and digits after the decimal point, for number types. */
  precision?: number;
  scale?: number;
  /** Active picklist values (API names), in definition order. */
  values?: string[];
  /** Whether the org refuses a value outside `values`. */
  restricted?: boolean;
}

/** The static resource: governed object → field API name → definition. */
export interface FieldDefinitionFile {
  description: string;
  objects: Record<string, Record<string, FieldDefinition>>;
}

/** Where the static resource lives (deployed with the package: the Apex validator reads it). */
export const FIELD_DEFINITIONS_PATH = path.join(
  PROJECT_ROOT,
  'force-app',
  'main',
  'ingestion',
  'staticresources',
  'SyntheticFieldDefinitions.json'
);

const TEXT_TYPES = new Set(['Text', 'TextArea', 'LongTextArea', 'Html', 'Email', 'Phone', 'Url']);
const NUMBER_TYPES = new Set(['Number', 'Percent', 'Currency']);
const PICKLIST_TYPES = new Set(['Picklist', 'MultiselectPicklist']);
/** Earliest and latest Date/DateTime the platform stores (Data Loader guide, "Data Import Dates"). */
export const EARLIEST_DATETIME = '1700-01-01T00:00:00.000Z';
export const LATEST_DATETIME = '4000-12-31T00:00:00.000Z';

function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1]?.trim();
}

function numberTag(xml: string, name: string): number | undefined {
  const text = tag(xml, name);
  return text === undefined ? undefined : Number(text);
}

/** Active values of a value set block: `<value>` (field) or `<customValue>` (global value set). */
function activeValues(xml: string, element: 'value' | 'customValue'): string[] {
  return [...xml.matchAll(new RegExp(`<${element}>([\\s\\S]*?)</${element}>`, 'g'))]
    .filter((m) => tag(m[1]!, 'isActive') !== 'false')
    .map((m) => tag(m[1]!, 'fullName')!)
    .filter((name) => name !== undefined);
}

function files(root: string, test: (file: string) => boolean): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (test(full)) found.push(full);
    }
  };
  walk(root);
  return found.sort();
}

function definitionOf(xml: string, globalSets: ReadonlyMap<string, string[]>): FieldDefinition {
  const type = tag(xml, 'type') ?? 'Unknown';
  const definition: FieldDefinition = { type };
  if (TEXT_TYPES.has(type)) {
    const length = numberTag(xml, 'length');
    // Email, Phone and Url have a fixed platform length the metadata does not state.
    if (length !== undefined) definition.length = length;
  }
  if (NUMBER_TYPES.has(type)) {
    definition.precision = numberTag(xml, 'precision') ?? 18;
    definition.scale = numberTag(xml, 'scale') ?? 0;
  }
  if (PICKLIST_TYPES.has(type)) {
    const globalName = tag(xml, 'valueSetName');
    if (globalName !== undefined) {
      const values = globalSets.get(globalName);
      if (!values)
        throw new Error(`${globalName}: the global value set a field names is not in force-app.`);
      // A global value set is always restricted.
      definition.values = values;
      definition.restricted = true;
    } else {
      definition.values = activeValues(xml, 'value');
      definition.restricted = tag(xml, 'restricted') === 'true';
    }
  }
  return definition;
}

/** Builds the table from the metadata under `projectRoot/force-app`. */
export function buildFieldDefinitions(projectRoot = PROJECT_ROOT): FieldDefinitionFile {
  const source = path.join(projectRoot, 'force-app');
  const globalSets = new Map<string, string[]>();
  for (const file of files(source, (f) => f.endsWith('.globalValueSet-meta.xml')))
    globalSets.set(
      path.basename(file, '.globalValueSet-meta.xml'),
      activeValues(fs.readFileSync(file, 'utf8'), 'customValue')
    );
  const objects: Record<string, Record<string, FieldDefinition>> = {};
  const governed = new Set<string>(GOVERNED_OBJECTS);
  for (const file of files(source, (f) => f.endsWith('.field-meta.xml'))) {
    const parts = file.split(path.sep);
    const object = parts[parts.length - 3]!;
    if (parts[parts.length - 2] !== 'fields' || !governed.has(object)) continue;
    const name = path.basename(file, '.field-meta.xml');
    (objects[object] ??= {})[name] = definitionOf(fs.readFileSync(file, 'utf8'), globalSets);
  }
  const sorted: Record<string, Record<string, FieldDefinition>> = {};
  for (const object of Object.keys(objects).sort())
    sorted[object] = Object.fromEntries(
      Object.entries(objects[object]!).sort(([a], [b]) => a.localeCompare(b))
    );
  return {
    description:
      'Generated by npm run build:field-definitions from force-app/**/objects/<governed object>/fields/*.field-meta.xml; do not edit. Read by the Apex class FieldDefinitions (ingestion endpoint) and scripts/src/ingestion/field-definitions.ts (sdg validate-payload): length of text fields, precision/scale of number fields, active values of picklists and whether they are restricted.',
    objects: sorted
  };
}

/** The file's text as the generator writes it. */
export function fieldDefinitionsText(file: FieldDefinitionFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

function shown(value: string): string {
  return value.length > 40 ? `"${value.slice(0, 40)}…"` : `"${value}"`;
}

function validDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return true; // a date-time: its own check
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    date.getUTCFullYear() === Number(m[1]) &&
    date.getUTCMonth() === Number(m[2]) - 1 &&
    date.getUTCDate() === Number(m[3])
  );
}

function dateProblem(field: string, value: string): string | null {
  if (!validDate(value))
    return `${field} is ${shown(value)}, which is not a calendar date; send a real date such as "2026-06-01".`;
  const time = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? Date.parse(`${value}T00:00:00Z`)
    : Date.parse(parseTimestamp(value) ?? '');
  if (Number.isNaN(time)) return null;
  if (time < Date.parse(EARLIEST_DATETIME) || time > Date.parse(LATEST_DATETIME))
    return `${field} is ${shown(value)}; Salesforce stores dates from 1700-01-01 to 4000-12-31 only. Check the value (a year typo?).`;
  return null;
}

/** Digits before the decimal point of a number's absolute value, e.g. 999.99 → 3. */
function integerDigits(value: number): number {
  const whole = Math.trunc(Math.abs(value));
  return whole === 0 ? 0 : whole.toFixed(0).length;
}

/**
 * Why the org would refuse `value` for a field, as an INVALID_VALUE message (what value, what
 * limit, what to do), or null. Type errors are checked first, by the caller.
 */
export function valueProblem(
  field: string,
  definition: FieldDefinition | undefined,
  value: unknown
): string | null {
  if (definition === undefined || value === null) return null;
  if (typeof value === 'string') {
    if (definition.length !== undefined && value.length > definition.length)
      return `${field} holds at most ${definition.length} characters; this value has ${value.length} (${shown(value)}). Shorten it before sending; the org would refuse it (STRING_TOO_LONG).`;
    if (definition.restricted && definition.values && !definition.values.includes(value))
      return `${field} does not accept ${shown(value)}: it is a restricted picklist. Use one of: ${definition.values.join(', ')}.`;
    if (definition.type === 'DateTime' || definition.type === 'Date')
      return dateProblem(field, value);
  }
  if (typeof value === 'number' && definition.precision !== undefined) {
    const before = definition.precision - (definition.scale ?? 0);
    if (integerDigits(value) > before) {
      const max = `${'9'.repeat(Math.max(before, 1))}${definition.scale ? `.${'9'.repeat(definition.scale)}` : ''}`;
      return `${field} takes at most ${before} digits before the decimal point (precision ${definition.precision}, scale ${definition.scale ?? 0}): -${max} to ${max}; got ${value}. Send a value in that range; the org would refuse it (NUMBER_OUTSIDE_VALID_RANGE).`;
    }
  }
  return null;
}

/** The table, read from the static resource once per process. */
export class FieldDefinitions {
  private static cached: FieldDefinitions | undefined;

  constructor(private readonly file: FieldDefinitionFile) {}

  static load(file = FIELD_DEFINITIONS_PATH): FieldDefinitions {
    if (file !== FIELD_DEFINITIONS_PATH)
      return new FieldDefinitions(JSON.parse(fs.readFileSync(file, 'utf8')) as FieldDefinitionFile);
    FieldDefinitions.cached ??= new FieldDefinitions(
      JSON.parse(fs.readFileSync(file, 'utf8')) as FieldDefinitionFile
    );
    return FieldDefinitions.cached;
  }

  /** The definition of a field of an object (exact API name), if the package defines it. */
  of(objectName: string, field: string): FieldDefinition | undefined {
    return this.file.objects[objectName]?.[field];
  }
}

/* istanbul ignore next -- writes the file (npm run build:field-definitions); the gate test checks it */
if (require.main === module) {
  const text = fieldDefinitionsText(buildFieldDefinitions());
  fs.mkdirSync(path.dirname(FIELD_DEFINITIONS_PATH), { recursive: true });
  fs.writeFileSync(FIELD_DEFINITIONS_PATH, text);
  console.log(`Wrote ${path.relative(PROJECT_ROOT, FIELD_DEFINITIONS_PATH)}.`);
}

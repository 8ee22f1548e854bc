import path from 'node:path';
import { FILE_OBJECT } from '../../provenance-model/schema';
import { displayPath, Finding } from '../finding';
import { PackageIndex } from '../package-index';
import { lineAt, maskComments, readSources, SourceText } from './source-files';
import { StandardSchema } from './standard-schema';

/** The Apex class that maps each governed object to the provenance fields it has. */
export const FIELD_MAP_CLASS = 'ProvenanceFields';
/** The two map literals the gate reads in it. */
export const FIELD_MAPS = ['FIELDS_BY_OBJECT', 'WRITE_ONCE_BY_OBJECT'] as const;
export type FieldMapName = (typeof FIELD_MAPS)[number];

/** One `'Object' => …` entry of a map literal, with the line it is written on. */
export interface FieldMapEntry {
  objectName: string;
  fields: string[];
  line: number;
}

/** What the class declares: each map's entries, or null when the literal cannot be read. */
export type FieldMapDeclaration = Record<FieldMapName, FieldMapEntry[] | null>;

const STRING_LIST = String.raw`new\s+(?:List|Set)<String>\s*\{([^}]*)\}`;

function stringsIn(text: string): string[] {
  return [...text.matchAll(/'([^']*)'/g)].map((match) => (match[1] ?? '').trim());
}

/**
 * Reads the map literals of the field map class: each entry's value is a string list literal or
 * the name of a string list constant declared in the same class.
 */
export function readFieldMap(apexSource: string): FieldMapDeclaration {
  const code = maskComments(apexSource);
  const constants = new Map<string, string[]>();
  const constant = new RegExp(String.raw`(?:List|Set)<String>\s+(\w+)\s*=\s*${STRING_LIST}`, 'g');
  for (const match of code.matchAll(constant))
    constants.set(match[1] ?? '', stringsIn(match[2] ?? ''));
  const read = (name: FieldMapName): FieldMapEntry[] | null => {
    const literal = new RegExp(
      String.raw`\b${name}\s*=\s*new\s+Map<String,\s*(?:List|Set)<String>>\s*\{([\s\S]*?)\};`
    ).exec(code);
    if (!literal) return null;
    const body = literal[1] ?? '';
    const bodyStart = literal.index + literal[0].indexOf(body);
    const entry = new RegExp(String.raw`'(\w+)'\s*=>\s*(?:${STRING_LIST}|(\w+))`, 'g');
    const entries: FieldMapEntry[] = [];
    for (const match of body.matchAll(entry)) {
      const fields = match[2] !== undefined ? stringsIn(match[2]) : constants.get(match[3] ?? '');
      if (!fields) return null;
      entries.push({
        objectName: match[1] ?? '',
        fields,
        line: lineAt(code, bodyStart + match.index)
      });
    }
    return entries;
  };
  return {
    FIELDS_BY_OBJECT: read('FIELDS_BY_OBJECT'),
    WRITE_ONCE_BY_OBJECT: read('WRITE_ONCE_BY_OBJECT')
  };
}

function fieldExists(
  index: PackageIndex,
  standard: StandardSchema,
  objectName: string,
  field: string
): boolean {
  return index.fieldsOf(objectName).has(field) || standard.hasField(objectName, field);
}

/** Checks one field map class against the package's field metadata. */
export function checkFieldMapSource(
  source: SourceText,
  index: PackageIndex,
  standard: StandardSchema,
  cwd = process.cwd()
): Finding[] {
  const findings: Finding[] = [];
  const report = (line: number, message: string) =>
    findings.push({
      file: displayPath(source.file, cwd),
      line,
      rule: 'reference/field-map',
      message
    });
  const declared = readFieldMap(source.text);
  const fieldsByObject = new Map<string, string[]>();
  for (const name of FIELD_MAPS) {
    if (declared[name] === null)
      report(
        1,
        `${FIELD_MAP_CLASS}.${name} is not a map literal of string lists the gate can read: write it as 'Object' => LIST_CONSTANT or 'Object' => new List<String>{ … }.`
      );
  }
  for (const entry of declared.FIELDS_BY_OBJECT ?? []) {
    fieldsByObject.set(entry.objectName, entry.fields);
    for (const field of entry.fields) {
      if (!fieldExists(index, standard, entry.objectName, field))
        report(
          entry.line,
          `${FIELD_MAP_CLASS} says ${entry.objectName} has ${field}, but the package has no ${entry.objectName}.${field} field (objects/${entry.objectName}/fields/${field}.field-meta.xml): code reading it through the map would throw "Invalid field". Remove it from the map or add the field.`
        );
    }
  }
  for (const entry of declared.WRITE_ONCE_BY_OBJECT ?? []) {
    const known = fieldsByObject.get(entry.objectName) ?? [];
    for (const field of entry.fields) {
      if (!known.includes(field))
        report(
          entry.line,
          `${FIELD_MAP_CLASS} lists ${field} as write-once on ${entry.objectName}, but FIELDS_BY_OBJECT does not give ${entry.objectName} that field.`
        );
    }
  }
  return findings;
}

/** An optional record field must be one of the record fields the map gives the package's objects. */
function checkOptionalFields(source: SourceText, cwd: string): Finding[] {
  const recordFields = new Set(
    (readFieldMap(source.text).FIELDS_BY_OBJECT ?? [])
      .filter((entry) => entry.objectName !== FILE_OBJECT)
      .flatMap((entry) => entry.fields)
  );
  return readOptionalFields(source.text)
    .filter((field) => !recordFields.has(field))
    .map((field) => ({
      file: displayPath(source.file, cwd),
      line: 1,
      rule: 'reference/field-map',
      message: `${FIELD_MAP_CLASS}.${OPTIONAL_FIELDS} names ${field}, which FIELDS_BY_OBJECT gives no record object: list only record fields an object governed by configuration may lack.`
    }));
}

/** The set literal naming record fields an object governed by configuration may lack. */
export const OPTIONAL_FIELDS = 'OPTIONAL_RECORD_FIELDS';
/** How findings name the objects policy records govern beyond the map's (`sdg govern`). */
export const CONFIGURED_OBJECTS = 'objects governed by configuration (Task, Event)';

/** The fields OPTIONAL_RECORD_FIELDS names in the field map class (none when it has no such literal). */
export function readOptionalFields(apexSource: string): string[] {
  const literal = new RegExp(String.raw`\b${OPTIONAL_FIELDS}\s*=\s*${STRING_LIST}`).exec(
    maskComments(apexSource)
  );
  return literal ? stringsIn(literal[1] ?? '') : [];
}

/**
 * Fields the map gives some objects and not others: reading one by name can throw. Optional
 * record fields are lacking on objects governed by configuration too (Task takes no reviewer lookup).
 */
export function partialFields(
  declared: FieldMapDeclaration,
  optional: string[] = []
): Map<string, string[]> {
  const entries = declared.FIELDS_BY_OBJECT ?? [];
  const lacking = new Map<string, string[]>();
  for (const field of new Set(entries.flatMap((entry) => entry.fields))) {
    const without = entries.filter((e) => !e.fields.includes(field)).map((e) => e.objectName);
    if (optional.includes(field)) without.push(CONFIGURED_OBJECTS);
    if (without.length > 0) lacking.set(field.toLowerCase(), without);
  }
  return lacking;
}

const TEST_CLASS = /@IsTest\s+(?:(?:private|public|global)\s+)?(?:\w+\s+)*class\b/i;

/**
 * Apex (outside tests and the map itself) that reads or writes, by name on an SObject, a
 * provenance field some governed object lacks: it throws "Invalid field" on that object. Such
 * access goes through ProvenanceFields.valueOf / putIfPresent, or uses the typed field.
 */
export function checkFieldMapBypass(
  sources: SourceText[],
  lacking: Map<string, string[]>,
  cwd = process.cwd()
): Finding[] {
  const findings: Finding[] = [];
  for (const source of sources) {
    if (path.basename(source.file) === `${FIELD_MAP_CLASS}.cls` || TEST_CLASS.test(source.text))
      continue;
    const code = maskComments(source.text);
    for (const match of code.matchAll(/\.(get|put)\(\s*'(\w+)'/g)) {
      const without = lacking.get((match[2] ?? '').toLowerCase());
      if (!without) continue;
      findings.push({
        file: displayPath(source.file, cwd),
        line: lineAt(code, match.index),
        rule: 'reference/field-map-bypass',
        message: `${match[1]}('${match[2]}') on an SObject: ${without.join(', ')} ${without.length > 1 ? 'lack' : 'lacks'} that field, where it throws "Invalid field". Use ${FIELD_MAP_CLASS}.${match[1] === 'get' ? 'valueOf' : 'putIfPresent'}, or the typed field.`
      });
    }
  }
  return findings;
}

// Uses of a field list constant that never read a field by name: membership tests, and the map's
// own filter (ProvenanceFields.presentOn keeps only the fields the object has).
const SAFE_LIST_USE = String.raw`\.(?:contains|containsAll|size|isEmpty)\(`;

/**
 * Apex string-list constants (`List<String>` / `Set<String>` literals) naming a provenance field
 * some governed object lacks, used for more than a membership test outside ProvenanceFields: a loop
 * that reads each named field on any governed record throws "Invalid field" on the objects without
 * it (the way SyntheticSaveState read Provenance_Batch__c on every file update). Such a list is
 * filtered through ProvenanceFields.presentOn, or read with ProvenanceFields.valueOf.
 */
export function checkFieldListConstants(
  sources: SourceText[],
  lacking: Map<string, string[]>,
  cwd = process.cwd()
): Finding[] {
  const findings: Finding[] = [];
  const declaration = new RegExp(
    String.raw`(?:List|Set)<String>\s+(\w+)\s*=\s*${STRING_LIST}`,
    'g'
  );
  for (const source of sources) {
    if (path.basename(source.file) === `${FIELD_MAP_CLASS}.cls` || TEST_CLASS.test(source.text))
      continue;
    const code = maskComments(source.text);
    for (const match of code.matchAll(declaration)) {
      const name = match[1] ?? '';
      const partial = stringsIn(match[2] ?? '').filter((field) => lacking.has(field.toLowerCase()));
      if (partial.length === 0) continue;
      const declaredAt = match.index + match[0].indexOf(name);
      const uses = [...code.matchAll(new RegExp(String.raw`\b${name}\b`, 'g'))].filter(
        (use) => use.index !== declaredAt
      );
      const unsafe = uses.filter((use) => {
        const after = code.slice(use.index + name.length);
        const before = code.slice(Math.max(0, use.index - 200), use.index);
        const filtered = new RegExp(String.raw`${FIELD_MAP_CLASS}\.presentOn\(\s*[^;()]*,\s*$`);
        return !new RegExp(`^${SAFE_LIST_USE}`).test(after) && !filtered.test(before);
      });
      if (unsafe.length === 0) continue;
      const objects = [...new Set(partial.flatMap((f) => lacking.get(f.toLowerCase()) ?? []))];
      findings.push({
        file: displayPath(source.file, cwd),
        line: lineAt(code, declaredAt),
        rule: 'reference/field-map-list',
        message: `${name} names ${partial.join(', ')}, which ${objects.join(', ')} ${objects.length > 1 ? 'lack' : 'lacks'}, and is used for more than a membership test (line ${lineAt(code, unsafe[0]?.index ?? declaredAt)}): reading each field on any governed record throws "Invalid field". Filter it with ${FIELD_MAP_CLASS}.presentOn(objectName, ${name}), read with ${FIELD_MAP_CLASS}.valueOf, or list only fields every governed object has.`
      });
    }
  }
  return findings;
}

/** Runs the field map gate over the package directories (no class of that name: nothing to check). */
export function checkFieldMap(packageDirectories: string[], cwd = process.cwd()): Finding[] {
  const apex = readSources(packageDirectories, ['.cls', '.trigger']);
  const maps = apex.filter((source) => path.basename(source.file) === `${FIELD_MAP_CLASS}.cls`);
  if (maps.length === 0) return [];
  const index = PackageIndex.load(packageDirectories);
  const standard = StandardSchema.load();
  return maps.flatMap((map) => {
    const lacking = partialFields(readFieldMap(map.text), readOptionalFields(map.text));
    return [
      ...checkFieldMapSource(map, index, standard, cwd),
      ...checkOptionalFields(map, cwd),
      ...checkFieldMapBypass(apex, lacking, cwd),
      ...checkFieldListConstants(apex, lacking, cwd)
    ];
  });
}

import fs from 'node:fs';
import path from 'node:path';
import { PLATFORM_SYSTEM_FIELDS } from '../provenance-model/schema';

/** The JSON type a field takes in a request body. */
export type FieldKind = 'boolean' | 'number' | 'string' | 'dateOrDatetime';

// Set by the platform, never by a sender (the org refuses them too; offline we say so first).
const SYSTEM_FIELDS = new Set<string>([...PLATFORM_SYSTEM_FIELDS, 'MasterRecordId', 'PhotoUrl']);
// Compound and computed fields: written through their parts (FirstName, MailingStreet…).
const COMPOUND_TYPES = new Set(['Address', 'Location']);
const COMPOUND_NAMES: Record<string, readonly string[]> = {
  Lead: ['Name'],
  Contact: ['Name']
};

/**
 * Standard fields of standard objects with their JSON types, read from the schema jsforce
 * publishes (`lib/types/standard-schema.d.ts`, a runtime dependency through @salesforce/core), so
 * `sdg validate-payload` knows Lead.Company from Lead.Compnay without an org. Field-level security
 * and an org's own custom fields are only known on the org; the endpoint checks those.
 */
export class StandardFields {
  private static cached: StandardFields | undefined;

  constructor(private readonly objects: ReadonlyMap<string, ReadonlyMap<string, FieldKind>>) {}

  /** The schema of the installed jsforce, read once per process. */
  static load(): StandardFields {
    if (!StandardFields.cached) {
      const root = path.dirname(require.resolve('@jsforce/jsforce-node/package.json'));
      const text = fs.readFileSync(path.join(root, 'lib', 'types', 'standard-schema.d.ts'), 'utf8');
      StandardFields.cached = new StandardFields(StandardFields.parse(text));
    }
    return StandardFields.cached;
  }

  /** Reads `type Fields$<Object> = { Name: type; … };` blocks. */
  static parse(text: string): Map<string, Map<string, FieldKind>> {
    const objects = new Map<string, Map<string, FieldKind>>();
    for (const block of text.matchAll(/^type Fields\$(\w+) = \{\n([\s\S]*?)^\};/gm)) {
      const fields = new Map<string, FieldKind>();
      for (const line of block[2]!.matchAll(/^\s+(\w+): ([^;]+);$/gm)) {
        const type = line[2]!.replace(/\s*\|\s*null$/, '').trim();
        if (COMPOUND_TYPES.has(type) || SYSTEM_FIELDS.has(line[1]!)) continue;
        const kind: FieldKind | null =
          type === 'boolean'
            ? 'boolean'
            : type === 'number'
              ? 'number'
              : type === 'DateString'
                ? 'dateOrDatetime'
                : type === 'string'
                  ? 'string'
                  : null;
        if (kind) fields.set(line[1]!, kind);
      }
      objects.set(block[1]!, fields);
    }
    return objects;
  }

  /** The fields of an object a sender may write, with their JSON types. */
  writableFieldsOf(objectName: string): [string, FieldKind][] {
    const compound = COMPOUND_NAMES[objectName] ?? [];
    return [...(this.objects.get(objectName) ?? new Map<string, FieldKind>())].filter(
      ([name]) => !compound.includes(name)
    );
  }
}

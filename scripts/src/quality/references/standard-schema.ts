import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { PLATFORM_SYSTEM_FIELDS } from '../../provenance-model/schema';

/** Fields every custom object has, whatever its metadata lists. */
const CUSTOM_OBJECT_SYSTEM_FIELDS = [...PLATFORM_SYSTEM_FIELDS, 'Name', 'OwnerId', 'RecordTypeId'];
const CUSTOM_METADATA_SYSTEM_FIELDS = [
  'Id',
  'DeveloperName',
  'MasterLabel',
  'Label',
  'Language',
  'NamespacePrefix',
  'QualifiedApiName',
  'SystemModstamp'
];
const PLATFORM_EVENT_SYSTEM_FIELDS = ['ReplayId', 'CreatedDate', 'CreatedById', 'EventUuid'];

/** Standard objects and their fields, from jsforce's published schema (`standard-schema.d.ts`). */
export class StandardSchema {
  constructor(private readonly objects: ReadonlyMap<string, ReadonlySet<string>>) {}

  /** Reads `type Fields$<Object> = { … }` declarations with the TypeScript parser. */
  static load(): StandardSchema {
    const jsforceRoot = path.dirname(require.resolve('@jsforce/jsforce-node/package.json'));
    const file = path.join(jsforceRoot, 'lib', 'types', 'standard-schema.d.ts');
    const source = ts.createSourceFile(
      file,
      fs.readFileSync(file, 'utf8'),
      ts.ScriptTarget.Latest,
      true
    );
    const objects = new Map<string, Set<string>>();
    for (const statement of source.statements) {
      if (!ts.isTypeAliasDeclaration(statement) || !statement.name.text.startsWith('Fields$'))
        continue;
      if (!ts.isTypeLiteralNode(statement.type)) continue;
      const fields = new Set<string>();
      for (const member of statement.type.members) {
        if (ts.isPropertySignature(member)) fields.add(member.name.getText(source));
      }
      objects.set(statement.name.text.slice('Fields$'.length), fields);
    }
    // Task and Event custom fields are defined on Activity in metadata (objects/Activity/fields),
    // an object the API never returns, so jsforce's schema has no Activity.
    objects.set(
      'Activity',
      new Set([...(objects.get('Task') ?? []), ...(objects.get('Event') ?? [])])
    );
    return new StandardSchema(objects);
  }

  /** Whether Salesforce has a standard object of this API name. */
  hasObject(name: string): boolean {
    return this.objects.has(name);
  }

  /** Whether a standard object has a standard field of this API name. */
  hasField(objectName: string, field: string): boolean {
    return this.objects.get(objectName)?.has(field) ?? false;
  }

  /** System fields every object of the given custom kind (`__c`, `__mdt`, `__e`) has. */
  static systemFieldsOf(objectName: string): string[] {
    if (objectName.endsWith('__mdt')) return CUSTOM_METADATA_SYSTEM_FIELDS;
    if (objectName.endsWith('__e')) return PLATFORM_EVENT_SYSTEM_FIELDS;
    return CUSTOM_OBJECT_SYSTEM_FIELDS;
  }
}

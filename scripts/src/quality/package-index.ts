import fs from 'node:fs';
import path from 'node:path';
import { metadataFiles } from './metadata-schema/metadata-check';
import { parseXmlTree, XmlElement, XmlSyntaxError } from './metadata-schema/xml-tree';

/** One metadata file of the package, parsed, with its type and full name. */
export interface IndexedFile {
  file: string;
  type: string;
  /** e.g. `Lead.AI_Model__c` for a field, `Synthetic_Policy.Lead` for a custom metadata record. */
  fullName: string;
  root: XmlElement;
}

export { childText, childTexts } from './metadata-schema/xml-tree';

/** Full name from a source-format path: `objects/Lead/fields/X__c.field-meta.xml` → `Lead.X__c`. */
function fullNameOf(file: string, type: string): string {
  const base = path.basename(file).replace(/\.[^.]+-meta\.xml$/, '');
  const parentFolder = path.basename(path.dirname(path.dirname(file)));
  const decomposedChild = [
    'CustomField',
    'ListView',
    'ValidationRule',
    'RecordType',
    'CompactLayout',
    'WebLink',
    'FieldSet',
    'BusinessProcess'
  ];
  return decomposedChild.includes(type) ? `${parentFolder}.${base}` : base;
}

/** Every metadata file of the package directories, parsed once, queryable by type. */
export class PackageIndex {
  private constructor(
    readonly files: IndexedFile[],
    /** Files that are not well-formed XML: the schema check reports them; references skip them. */
    readonly unparsed: string[]
  ) {}

  /** Reads every metadata XML file SDR resolves in the package directories. */
  static load(packageDirectories: string[]): PackageIndex {
    const files: IndexedFile[] = [];
    const unparsed: string[] = [];
    for (const [file, type] of metadataFiles(packageDirectories)) {
      try {
        const root = parseXmlTree(fs.readFileSync(file, 'utf8'));
        files.push({ file, type, fullName: fullNameOf(file, type), root });
      } catch (error) {
        if (!(error instanceof XmlSyntaxError)) throw error;
        unparsed.push(file);
      }
    }
    return new PackageIndex(
      files.sort((a, b) => a.file.localeCompare(b.file)),
      unparsed
    );
  }

  /** Files of one metadata type. */
  ofType(type: string): IndexedFile[] {
    return this.files.filter((file) => file.type === type);
  }

  /** One component by type and full name. */
  find(type: string, fullName: string): IndexedFile | undefined {
    return this.files.find((file) => file.type === type && file.fullName === fullName);
  }

  /** The package's custom fields of one object, by API name. */
  fieldsOf(objectName: string): Map<string, IndexedFile> {
    return new Map(
      this.ofType('CustomField')
        .filter((field) => field.fullName.startsWith(`${objectName}.`))
        .map((field) => [field.fullName.slice(objectName.length + 1), field])
    );
  }
}

import { ComponentSet, SourceComponent } from '@salesforce/source-deploy-retrieve';
import fs from 'node:fs';
import { displayPath, Finding } from '../finding';
import { MetadataTypes } from './metadata-types';
import { SchemaChecker } from './schema-check';
import { parseXmlTree, XmlSyntaxError } from './xml-tree';

/** Each metadata XML file of the package with the Metadata API type it holds. */
export function metadataFiles(packageDirectories: string[]): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (component: SourceComponent) => {
    // A parent claims its file first: CustomLabels' children share the parent's file.
    if (component.xml && !files.has(component.xml)) files.set(component.xml, component.type.name);
    component.getChildren().forEach(visit);
  };
  ComponentSet.fromSource({ fsPaths: packageDirectories })
    .getSourceComponents()
    .toArray()
    .forEach(visit);
  return files;
}

/**
 * Checks every metadata file in the package directories against the Metadata API's published
 * types: root element and namespace, every element a property of its type (recursively),
 * enumeration values, booleans and numbers, and required scalar properties.
 */
export function checkMetadataSchema(
  packageDirectories: string[],
  types: MetadataTypes = MetadataTypes.load(),
  cwd = process.cwd()
): Finding[] {
  const checker = new SchemaChecker(types);
  const findings: Finding[] = [];
  for (const [file, typeName] of metadataFiles(packageDirectories)) {
    const shown = displayPath(file, cwd);
    try {
      findings.push(...checker.check(parseXmlTree(fs.readFileSync(file, 'utf8')), typeName, shown));
    } catch (error) {
      if (!(error instanceof XmlSyntaxError)) throw error;
      findings.push({
        file: shown,
        line: error.line,
        column: error.column,
        rule: 'xml/syntax',
        message: error.message
      });
    }
  }
  return findings;
}

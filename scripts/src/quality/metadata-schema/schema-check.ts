import { closest, distance } from 'fastest-levenshtein';
import { Finding } from '../finding';
import { MetadataTypes, PropertySpec } from './metadata-types';
import { XmlElement } from './xml-tree';

/** The namespace every Metadata API document must declare on its root element. */
export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

/**
 * Elements a source-format file may omit though the Metadata API marks them required: the name is
 * implied by the file name, and a content file stands in for `content`.
 */
const IMPLIED_BY_SOURCE_FORMAT = new Set(['fullName', 'content']);

/**
 * Elements the Metadata API types as strings that hold XML of their own: a bundle's
 * `targetConfigs` (App Builder properties) is sent as nested elements, validated by the platform.
 */
const EMBEDDED_XML = new Set(['LightningComponentBundle.targetConfigs']);

const BOOLEAN = /^(true|false)$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** Suggest a correction only when it is plausibly a typo. */
function suggestion(name: string, candidates: string[]): string {
  if (candidates.length === 0) return '';
  const best = closest(name, candidates);
  const near =
    distance(name.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(name.length / 3));
  return near ? ` Did you mean <${best}>?` : '';
}

function describeAllowed(values: string[]): string {
  const shown = values.slice(0, 12).join(', ');
  return values.length > 12 ? `${shown}, … (${values.length} values)` : shown;
}

/** Validates one parsed metadata file against its Metadata API type. */
export class SchemaChecker {
  constructor(private readonly types: MetadataTypes) {}

  check(root: XmlElement, typeName: string, file: string): Finding[] {
    const findings: Finding[] = [];
    const report = (element: XmlElement, rule: string, message: string) =>
      findings.push({
        file,
        line: element.line,
        column: element.column,
        rule: `metadata/${rule}`,
        message
      });

    if (!this.types.has(typeName)) {
      report(root, 'unknown-type', `The Metadata API types have no type ${typeName}.`);
      return findings;
    }
    if (root.name !== typeName) {
      report(root, 'root-element', `The root element must be <${typeName}>, found <${root.name}>.`);
      return findings;
    }
    if (root.attributes.xmlns !== METADATA_NAMESPACE) {
      report(root, 'namespace', `<${typeName}> must declare xmlns="${METADATA_NAMESPACE}".`);
    }
    this.checkObject(root, typeName, report);
    return findings;
  }

  private checkObject(
    element: XmlElement,
    typeName: string,
    report: (element: XmlElement, rule: string, message: string) => void
  ): void {
    const properties = this.types.propertiesOf(typeName);
    if (!properties) return;
    const seen = new Set<string>();
    for (const child of element.children) {
      seen.add(child.name);
      const spec = properties.get(child.name);
      if (!spec) {
        report(
          child,
          'unknown-element',
          `<${child.name}> is not an element of ${typeName}.${suggestion(child.name, [...properties.keys()])}`
        );
        continue;
      }
      this.checkValue(child, spec, typeName, report);
    }
    for (const spec of properties.values()) {
      if (
        !spec.optional &&
        !spec.array &&
        spec.kind !== 'any' &&
        !seen.has(spec.name) &&
        !IMPLIED_BY_SOURCE_FORMAT.has(spec.name)
      ) {
        report(element, 'missing-required', `${typeName} requires <${spec.name}>.`);
      }
    }
  }

  private checkValue(
    element: XmlElement,
    spec: PropertySpec,
    parentType: string,
    report: (element: XmlElement, rule: string, message: string) => void
  ): void {
    if (spec.kind === 'any' || element.attributes['xsi:nil'] === 'true') return;
    if (EMBEDDED_XML.has(`${parentType}.${element.name}`)) return;
    const target = spec.kind === 'ref' && spec.ref ? this.types.types.get(spec.ref) : undefined;
    if (target?.kind === 'object') {
      if (element.children.length === 0 && element.text.trim() !== '') {
        report(
          element,
          'invalid-value',
          `<${element.name}> of ${parentType} holds ${spec.ref} elements, not text.`
        );
        return;
      }
      this.checkObject(element, spec.ref ?? '', report);
      return;
    }
    if (element.children.length > 0) {
      report(
        element,
        'invalid-value',
        `<${element.name}> of ${parentType} takes a value, not nested elements.`
      );
      return;
    }
    const value = element.text.trim();
    const values = spec.values ?? (target?.kind === 'enum' ? target.values : undefined);
    const primitive = target?.kind === 'primitive' ? target.primitive : spec.kind;
    if (values && !values.includes(value)) {
      const near = values.find((allowed) => allowed.toLowerCase() === value.toLowerCase());
      report(
        element,
        'invalid-value',
        `"${value}" is not a valid ${spec.ref ?? element.name}.` +
          (near ? ` Did you mean "${near}"?` : ` Allowed: ${describeAllowed(values)}.`)
      );
    } else if (primitive === 'boolean' && !BOOLEAN.test(value)) {
      report(
        element,
        'invalid-value',
        `<${element.name}> must be true or false, found "${value}".`
      );
    } else if (primitive === 'number' && !NUMBER.test(value)) {
      report(element, 'invalid-value', `<${element.name}> must be a number, found "${value}".`);
    }
  }
}

import { displayPath, Finding } from '../finding';
import { childText, IndexedFile, PackageIndex } from '../package-index';
import { MetadataTypes } from './metadata-types';
import { XmlElement } from './xml-tree';

/**
 * How a text value may be laid out. The Metadata API types every value as `xsd:string`, whose
 * whitespace is preserved, so what the file holds between the tags is what the org stores.
 * - `line`: one line (names, labels, URLs, picklist values, principals: the default);
 * - `prose`: free text edited in a Setup text area; line breaks are allowed, but a line that starts
 *   or ends with whitespace is a formatter's wrap, not the author's text;
 * - `free`: formula bodies and long-text-area values, whose inner whitespace is the author's.
 */
export type TextLayout = 'line' | 'prose' | 'free';

/**
 * Properties the Metadata API's types (`@salesforce/types`) declare as plain `string` but that
 * Setup edits in a text area. The types carry no length or widget, so this short list is the one
 * place that says which strings may span lines; everything else is one line.
 */
const PROSE_PROPERTIES = new Set([
  'description',
  'inlineHelpText',
  'helpText',
  'CustomLabel.value'
]);

/** Formula bodies not named `…formula`: a flow formula's `expression`. */
const FORMULA_PROPERTIES = new Set(['FlowFormula.expression']);

/** Custom field types whose values are text areas (a custom metadata record's value follows its field). */
const MULTI_LINE_FIELD_TYPES = new Set(['TextArea', 'LongTextArea', 'Html']);

/** Layout of the property `name` of metadata type `typeName`. */
export function layoutOf(typeName: string | undefined, name: string): TextLayout {
  const qualified = `${typeName ?? ''}.${name}`;
  if (/^formula$|Formula$/.test(name) || FORMULA_PROPERTIES.has(qualified)) return 'free';
  if (PROSE_PROPERTIES.has(name) || PROSE_PROPERTIES.has(qualified)) return 'prose';
  return 'line';
}

/** Whitespace findings of one value, or none. */
export function textValueProblems(
  text: string,
  layout: TextLayout
): { rule: string; message: string }[] {
  if (text.trim() === '') return [];
  if (text !== text.trim()) {
    const where =
      text.trimStart() === text ? 'ends' : text.trimEnd() === text ? 'starts' : 'starts and ends';
    return [
      {
        rule: 'metadata/text-padded',
        message: `${where} with whitespace, which the Metadata API keeps as part of the value. Write the value on one line with its tags, without padding.`
      }
    ];
  }
  if (!text.includes('\n')) return [];
  if (layout === 'line') {
    return [
      {
        rule: 'metadata/text-line-break',
        message:
          'holds a line break, which this value does not allow (only formulas, descriptions, help text and text-area values may span lines). Join it onto one line.'
      }
    ];
  }
  if (layout === 'prose' && text.split('\n').some((line) => line !== line.trim())) {
    return [
      {
        rule: 'metadata/text-wrapped',
        message:
          'has a line that starts or ends with whitespace: a formatter wrapped it, and the Metadata API keeps the indentation. Join the wrapped lines.'
      }
    ];
  }
  return [];
}

/**
 * Longest value the org accepts for a property, by `Type.property` (Salesforce Help and the
 * Metadata API reference; sources in docs/platform-semantics.md). The published types carry no
 * lengths, and a deploy refuses the whole package over one value too long, so this gate holds them.
 */
export const MAX_LENGTHS: ReadonlyMap<string, number> = new Map([
  ['ValidationRule.description', 255],
  ['ValidationRule.errorMessage', 255],
  ['CustomLabel.value', 1000],
  ['CustomField.description', 1000],
  ['CustomField.inlineHelpText', 510]
]);

/** Length findings of the property `name` of `typeName`, or none. */
export function lengthProblems(
  typeName: string | undefined,
  name: string,
  text: string
): { rule: string; message: string }[] {
  const max = MAX_LENGTHS.get(`${typeName ?? ''}.${name}`);
  if (max === undefined || text.length <= max) return [];
  return [
    {
      rule: 'metadata/text-too-long',
      message: `is ${text.length} characters; the org accepts at most ${max}, and refuses the deploy otherwise. Shorten it (move the detail into the docs).`
    }
  ];
}

/** Credential parameter types whose value the platform sends as an HTTP header, evaluated as a formula. */
const HEADER_PARAMETER_TYPES = new Set(['AuthHeader', 'HttpHeader']);

/** The text of `value` outside its `{!…}` merge expressions (braces nested inside a formula count). */
function textOutsideMergeFields(value: string): string {
  let outside = '';
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    if (depth === 0 && value.startsWith('{!', i)) {
      depth = 1;
      i++;
    } else if (depth > 0) {
      if (value[i] === '{') depth++;
      else if (value[i] === '}') depth--;
    } else {
      outside += value[i];
    }
  }
  return outside;
}

/**
 * Findings of a credential custom header value. Only what is inside `{! … }` is evaluated: in
 * `'Bearer ' & {!$Credential.X.ApiKey}` the quotes and the ampersand are sent literally, and a
 * receiver that checks the key answers 401 on every callout. No Apex test can see it (the callout
 * mock receives the request before the Named Credential resolves it), so this gate holds it: a
 * header that uses a merge field must be one formula wholly inside the braces.
 */
export function headerValueProblems(text: string): { rule: string; message: string }[] {
  if (!text.includes('{!')) return [];
  const outside = textOutsideMergeFields(text).trim();
  if (outside === '') return [];
  return [
    {
      rule: 'metadata/credential-header-formula',
      message: `mixes text outside {! } ("${outside}") with a merge field: only the part inside the braces is a formula, so the org sends the outside text literally. Put the whole expression inside the braces, e.g. {!'Bearer ' & $Credential.<External_Credential>.ApiKey}.`
    }
  ];
}

/** Whether `name` under `parent` is a credential parameter sent as a header. */
function isHeaderValue(parent: XmlElement, name: string): boolean {
  return (
    name === 'parameterValue' &&
    HEADER_PARAMETER_TYPES.has(childText(parent, 'parameterType') ?? '')
  );
}

type Reporter = (
  element: XmlElement,
  problems: { rule: string; message: string }[],
  subject: string
) => void;

/**
 * Reports metadata text values whose whitespace the org would keep but the author did not mean:
 * padding around a value, a line break in a one-line value, indented continuation lines in prose;
 * values longer than the org accepts; and credential header values whose formula is not wholly
 * inside `{! }`.
 */
export class TextValueChecker {
  private readonly fieldTypes: Map<string, string>;

  constructor(
    private readonly index: PackageIndex,
    private readonly types: MetadataTypes,
    private readonly cwd = process.cwd()
  ) {
    this.fieldTypes = new Map(
      index
        .ofType('CustomField')
        .map((field) => [field.fullName, childText(field.root, 'type') ?? ''])
    );
  }

  check(): Finding[] {
    return this.index.files.flatMap((file) => {
      const findings: Finding[] = [];
      const report: Reporter = (element, problems, subject) => {
        for (const problem of problems) {
          findings.push({
            file: displayPath(file.file, this.cwd),
            line: element.line,
            column: element.column,
            rule: problem.rule,
            message: `${subject} ${problem.message}`
          });
        }
      };
      this.walk(file, file.root, file.type, report);
      return findings;
    });
  }

  private walk(
    file: IndexedFile,
    element: XmlElement,
    typeName: string | undefined,
    report: Reporter
  ): void {
    const properties = typeName ? this.types.propertiesOf(typeName) : undefined;
    for (const child of element.children) {
      if (child.children.length > 0) {
        const spec = properties?.get(child.name);
        this.walk(file, child, spec?.kind === 'ref' ? spec.ref : undefined, report);
      } else if (child.attributes['xsi:nil'] !== 'true') {
        // Name the field a record's <value> sets, so the finding reads without opening the file.
        const field = child.name === 'value' ? childText(element, 'field') : undefined;
        const subject = field ? `<value> of ${field}` : `<${child.name}>`;
        const layout = this.layoutIn(file, element, typeName, child.name);
        report(child, textValueProblems(child.text, layout), subject);
        report(child, lengthProblems(typeName, child.name, child.text), subject);
        if (isHeaderValue(element, child.name)) {
          const header = childText(element, 'parameterName') ?? '';
          report(child, headerValueProblems(child.text), `<parameterValue> of header ${header}`);
        }
      }
    }
  }

  private layoutIn(
    file: IndexedFile,
    parent: XmlElement,
    typeName: string | undefined,
    name: string
  ): TextLayout {
    if (typeName === 'CustomMetadataValue' && name === 'value') {
      // A record's value is as multi-line as the custom metadata type's field it sets.
      const objectName = `${file.fullName.split('.')[0]}__mdt`;
      const fieldType = this.fieldTypes.get(`${objectName}.${childText(parent, 'field') ?? ''}`);
      return fieldType && MULTI_LINE_FIELD_TYPES.has(fieldType) ? 'free' : 'line';
    }
    return layoutOf(typeName, name);
  }
}

/** The text-value check over package directories (part of `check:metadata`). */
export function checkTextValues(
  packageDirectories: string[],
  types: MetadataTypes = MetadataTypes.load(),
  cwd = process.cwd()
): Finding[] {
  return new TextValueChecker(PackageIndex.load(packageDirectories), types, cwd).check();
}

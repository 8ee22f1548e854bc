import { displayPath, Finding } from '../finding';
import { childText, IndexedFile, PackageIndex } from '../package-index';
import { XmlElement } from './xml-tree';

/** A custom metadata field that an active validation rule requires to match a regular expression. */
export interface RequiredPattern {
  /** e.g. `Synthetic_Policy__mdt`. */
  objectName: string;
  rule: string;
  field: string;
  /** The regular expression as the formula engine reads it (formula string escapes undone). */
  pattern: string;
  /** Java `matches()` semantics in JavaScript: anchored at both ends, `.` stops at a line break. */
  fullMatch: RegExp;
}

/**
 * `NOT(REGEX(Field__c, "…"))` in an error condition: the rule fires when the value does not match,
 * so every value must. A bare `REGEX(…)` fires when the value matches; it states no format.
 */
const NOT_REGEX =
  /NOT\s*\(\s*REGEX\s*\(\s*([A-Za-z][A-Za-z0-9_]*)\s*,\s*"((?:[^"\\]|\\.)*)"\s*\)\s*\)/gi;

const FORMULA_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t' };

/** The text of a formula string literal: `\\` is a backslash, `\"` a quote, `\n` a line feed. */
export function formulaString(literal: string): string {
  return literal.replace(/\\(.)/g, (_match, char: string) => FORMULA_ESCAPES[char] ?? char);
}

/**
 * REGEX() matches the whole value (Java `Matcher.matches()`), so the JavaScript twin anchors the
 * pattern. Java-only syntax that JavaScript cannot compile yields undefined: it cannot be judged
 * offline, and a check that guesses would fail good records.
 */
export function fullMatchRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return undefined;
  }
}

/** The formats the active validation rules of custom metadata types require. */
export function requiredPatterns(index: PackageIndex): RequiredPattern[] {
  return index
    .ofType('ValidationRule')
    .filter((rule) => rule.fullName.includes('__mdt.') && childText(rule.root, 'active') === 'true')
    .flatMap((rule) => {
      const [objectName, ruleName] = rule.fullName.split('.', 2) as [string, string];
      const formula = childText(rule.root, 'errorConditionFormula') ?? '';
      return [...formula.matchAll(NOT_REGEX)].flatMap((match) => {
        const field = match[1] ?? '';
        const pattern = formulaString(match[2] ?? '');
        const fullMatch = fullMatchRegExp(pattern);
        return fullMatch ? [{ objectName, rule: ruleName, field, pattern, fullMatch }] : [];
      });
    });
}

function valueElement(record: IndexedFile, field: string): XmlElement | undefined {
  return record.root.children
    .filter((values) => values.name === 'values')
    .find((values) => childText(values, 'field') === field)
    ?.children.find((child) => child.name === 'value' && child.attributes['xsi:nil'] !== 'true');
}

/**
 * Reports shipped custom metadata records whose values fail their type's REGEX() validation rules,
 * which the org runs on custom metadata records as on any other. Values are taken exactly as the
 * file holds them, padding included, because that is what the org receives.
 */
export function checkRecordPatterns(index: PackageIndex, cwd = process.cwd()): Finding[] {
  const patterns = requiredPatterns(index);
  return index.ofType('CustomMetadata').flatMap((record) => {
    const objectName = `${record.fullName.split('.')[0]}__mdt`;
    return patterns
      .filter((pattern) => pattern.objectName === objectName)
      .flatMap((pattern) => {
        const value = valueElement(record, pattern.field);
        // ISBLANK() guards these rules: an empty value states no format to check.
        if (!value || value.text === '' || pattern.fullMatch.test(value.text)) return [];
        return [
          {
            file: displayPath(record.file, cwd),
            line: value.line,
            column: value.column,
            rule: 'metadata/record-validation',
            message: `${pattern.field} = ${JSON.stringify(value.text)} fails validation rule ${pattern.rule}: REGEX() must match the whole value, and "${pattern.pattern}" does not, so the org refuses the record.`
          }
        ];
      });
  });
}

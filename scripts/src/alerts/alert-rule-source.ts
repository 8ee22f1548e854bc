import fs from 'node:fs';
import path from 'node:path';
import { metadataValues } from '../policy/package-policy';
import { childText, parseXmlTree } from '../quality/metadata-schema/xml-tree';
import { AlertRule, RuleFileError, toAlertRule } from './alert-rules';

const RULE_PREFIX = 'Synthetic_Alert_Rule.';

/** The package's shipped `Synthetic_Alert_Rule__mdt` records, as an org has them after install. */
export function loadPackageAlertRules(projectRoot: string): AlertRule[] {
  const dir = path.join(projectRoot, 'force-app', 'main', 'alerts', 'customMetadata');
  return fs
    .readdirSync(dir)
    .filter((name) => name.startsWith(RULE_PREFIX))
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      const values = metadataValues(file);
      const developerName = name.slice(RULE_PREFIX.length).replace(/\.md-meta\.xml$/, '');
      const label = childText(parseXmlTree(fs.readFileSync(file, 'utf8')), 'label');
      const get = (field: string) =>
        field === 'DeveloperName'
          ? developerName
          : field === 'MasterLabel'
            ? label
            : (values.get(field) ?? undefined);
      return toAlertRule(get, path.relative(projectRoot, file));
    });
}

/**
 * Rules from a JSON file of the record fields (`DeveloperName`, `MasterLabel`, `Kind__c`,
 * `Severity__c`…): an array, `{rules: […]}`, or a SOQL answer's `{records: […]}`. Anything
 * unusable is a RuleFileError naming the file, the rule and the field.
 */
export function readRuleFile(file: string): AlertRule[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new RuleFileError(
      `${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RuleFileError(`${file}: not valid JSON (${(error as Error).message}).`);
  }
  const container = parsed as { rules?: unknown; records?: unknown } | null;
  const list = Array.isArray(parsed) ? parsed : (container?.rules ?? container?.records);
  if (!Array.isArray(list))
    throw new RuleFileError(
      `${file}: expected an array of rule records (or {"rules": [...]}), with the fields of Synthetic_Alert_Rule__mdt.`
    );
  if (!list.length) throw new RuleFileError(`${file}: holds no rules.`);
  const seen = new Set<string>();
  return list.map((raw: unknown, i) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      throw new RuleFileError(`${file}: rule ${i + 1} is not an object of fields.`);
    const record = raw as Record<string, unknown>;
    const name = typeof record.DeveloperName === 'string' ? ` (${record.DeveloperName})` : '';
    const rule = toAlertRule((field) => record[field], `${file}: rule ${i + 1}${name}`);
    if (seen.has(rule.name))
      throw new RuleFileError(
        `${file}: rule ${i + 1}: DeveloperName "${rule.name}" is used twice.`
      );
    seen.add(rule.name);
    return rule;
  });
}

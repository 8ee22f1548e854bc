import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BROKEN_PACKAGE, PROJECT_ROOT } from '../broken-samples';
import { PackageIndex } from '../package-index';
import {
  checkRecordPatterns,
  formulaString,
  fullMatchRegExp,
  requiredPatterns
} from './record-patterns';

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const XSI =
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"';
const SHIPPED = path.join(PROJECT_ROOT, 'force-app');

function packageOf(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-regex-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return root;
}

describe('REGEX() full-match semantics', () => {
  it('matches the whole value, not a part of it', () => {
    const regex = fullMatchRegExp('[A-Z]+');
    expect(regex?.test('ABC')).toBe(true);
    expect(regex?.test('xABCx')).toBe(false);
    expect(fullMatchRegExp('.*Marc Benioff.*')?.test('According to Marc Benioff, yes')).toBe(true);
  });

  it('does not let . or the ends of the pattern swallow a line break', () => {
    expect(fullMatchRegExp('.*')?.test('a\nb')).toBe(false);
    expect(fullMatchRegExp('A|B')?.test('A\n')).toBe(false);
  });

  it('reads formula string escapes and leaves Java-only syntax unjudged', () => {
    expect(formulaString('\\\\d+\\"x\\n')).toBe('\\d+"x\n');
    expect(fullMatchRegExp('\\d{3}')?.test('123')).toBe(true);
    expect(fullMatchRegExp('[a-z&&[^e]]++')).toBeUndefined();
  });
});

describe('shipped custom metadata records against their validation rules', () => {
  const index = PackageIndex.load([SHIPPED]);

  it('finds the Required_Fields__c format rule of Synthetic_Policy__mdt', () => {
    expect(requiredPatterns(index)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          objectName: 'Synthetic_Policy__mdt',
          rule: 'Required_Fields_Format',
          field: 'Required_Fields__c'
        })
      ])
    );
  });

  it('every shipped Synthetic_Policy record holds a Required_Fields__c value that matches it whole', () => {
    const policies = index
      .ofType('CustomMetadata')
      .filter((r) => r.fullName.startsWith('Synthetic_Policy.'));
    expect(policies.length).toBeGreaterThan(0);
    expect(checkRecordPatterns(index)).toEqual([]);
  });
});

describe('checkRecordPatterns', () => {
  it('reports the padded broken sample at its value line', () => {
    const findings = checkRecordPatterns(PackageIndex.load([BROKEN_PACKAGE]), PROJECT_ROOT);
    expect(findings).toEqual([
      expect.objectContaining({
        file: expect.stringContaining('Sample_Setting.Padded.md-meta.xml'),
        line: 7,
        rule: 'metadata/record-validation',
        message: expect.stringContaining('fails validation rule Codes_Format')
      })
    ]);
  });

  it('ignores inactive rules, REGEX() that states no format, empty and nil values', () => {
    const rule = (name: string, active: boolean, formula: string) =>
      `<ValidationRule ${NS}><fullName>${name}</fullName><active>${active}</active><errorConditionFormula>${formula}</errorConditionFormula><errorMessage>No.</errorMessage></ValidationRule>`;
    const value = (field: string, text: string | null) =>
      text === null
        ? `<values><field>${field}</field><value xsi:nil="true"/></values>`
        : `<values><field>${field}</field><value xsi:type="xsd:string">${text}</value></values>`;
    const root = packageOf({
      'objects/Cfg__mdt/Cfg__mdt.object-meta.xml': `<CustomObject ${NS}><label>Cfg</label><pluralLabel>Cfgs</pluralLabel></CustomObject>`,
      'objects/Cfg__mdt/validationRules/Off.validationRule-meta.xml': rule(
        'Off',
        false,
        'NOT(REGEX(A__c, "[0-9]+"))'
      ),
      'objects/Cfg__mdt/validationRules/Forbid.validationRule-meta.xml': rule(
        'Forbid',
        true,
        'REGEX(B__c, "bad")'
      ),
      'objects/Cfg__mdt/validationRules/Digits.validationRule-meta.xml': rule(
        'Digits',
        true,
        'AND(NOT(ISBLANK(C__c)), NOT(REGEX(C__c, "\\\\d+")))'
      ),
      'customMetadata/Cfg.One.md-meta.xml': `<CustomMetadata ${NS} ${XSI}><label>One</label>${value('A__c', 'x')}${value('B__c', 'bad')}${value('C__c', '')}</CustomMetadata>`,
      'customMetadata/Cfg.Two.md-meta.xml': `<CustomMetadata ${NS} ${XSI}><label>Two</label>${value('C__c', null)}</CustomMetadata>`,
      'customMetadata/Cfg.Three.md-meta.xml': `<CustomMetadata ${NS} ${XSI}><label>Three</label>${value('C__c', '12a')}</CustomMetadata>`
    });
    const findings = checkRecordPatterns(PackageIndex.load([root]), root);
    expect(findings.map((f) => `${path.basename(f.file)} ${f.message}`)).toEqual([
      'Cfg.Three.md-meta.xml C__c = "12a" fails validation rule Digits: REGEX() must match the whole value, and "\\d+" does not, so the org refuses the record.'
    ]);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../cli/program';
import {
  buildFieldDefinitions,
  FIELD_DEFINITIONS_PATH,
  FieldDefinitions,
  fieldDefinitionsText,
  valueProblem
} from './field-definitions';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-fielddefs-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('SyntheticFieldDefinitions (generated from the field metadata)', () => {
  it('is current: npm run build:field-definitions would not change it', () => {
    expect(fs.readFileSync(FIELD_DEFINITIONS_PATH, 'utf8')).toBe(
      fieldDefinitionsText(buildFieldDefinitions())
    );
  });

  it('holds the limits the org enforces on the package fields of every governed object', () => {
    const table = FieldDefinitions.load();
    for (const object of ['Lead', 'Contact', 'Account', 'Case', 'Opportunity']) {
      expect(table.of(object, 'AI_Model__c')).toEqual({ type: 'Text', length: 255 });
      expect(table.of(object, 'Provenance_Batch__c')).toEqual({ type: 'Text', length: 80 });
      expect(table.of(object, 'Synthetic_Confidence__c')).toEqual({
        type: 'Percent',
        precision: 5,
        scale: 2
      });
      expect(table.of(object, 'Generation_Method__c')).toMatchObject({
        restricted: true,
        values: expect.arrayContaining(['trainedAlgorithmicMedia', 'digitalCapture'])
      });
    }
    expect(table.of('ContentVersion', 'AI_Model__c')).toBeUndefined();
  });

  it('reads global value sets, drops inactive values, and defaults number precision', () => {
    const objects = path.join(dir, 'force-app', 'main', 'objects', 'Lead', 'fields');
    const sets = path.join(dir, 'force-app', 'main', 'globalValueSets');
    fs.mkdirSync(objects, { recursive: true });
    fs.mkdirSync(sets, { recursive: true });
    fs.writeFileSync(
      path.join(sets, 'Tiers.globalValueSet-meta.xml'),
      '<GlobalValueSet><customValue><fullName>Gold</fullName></customValue><customValue><fullName>Old</fullName><isActive>false</isActive></customValue></GlobalValueSet>'
    );
    fs.writeFileSync(
      path.join(objects, 'Tier__c.field-meta.xml'),
      '<CustomField><fullName>Tier__c</fullName><type>Picklist</type><valueSet><valueSetName>Tiers</valueSetName></valueSet></CustomField>'
    );
    fs.writeFileSync(
      path.join(objects, 'Open__c.field-meta.xml'),
      '<CustomField><type>Picklist</type><valueSet><valueSetDefinition><value><fullName>A</fullName></value></valueSetDefinition></valueSet></CustomField>'
    );
    fs.writeFileSync(
      path.join(objects, 'Score__c.field-meta.xml'),
      '<CustomField><type>Number</type></CustomField>'
    );
    const built = buildFieldDefinitions(dir).objects.Lead!;
    expect(built.Tier__c).toEqual({ type: 'Picklist', values: ['Gold'], restricted: true });
    expect(built.Open__c).toEqual({ type: 'Picklist', values: ['A'], restricted: false });
    expect(built.Score__c).toEqual({ type: 'Number', precision: 18, scale: 0 });
    fs.writeFileSync(
      path.join(objects, 'Gone__c.field-meta.xml'),
      '<CustomField><type>Picklist</type><valueSet><valueSetName>Missing</valueSetName></valueSet></CustomField>'
    );
    expect(() => buildFieldDefinitions(dir)).toThrow(/Missing: the global value set/);
  });
});

describe('valueProblem: what the org would refuse, with the value, the limit and what to do', () => {
  const text = { type: 'Text', length: 255 };
  const percent = { type: 'Percent', precision: 5, scale: 2 };
  const whole = { type: 'Number', precision: 3, scale: 0 };

  it('refuses text longer than the field, and takes text at its length', () => {
    expect(valueProblem('AI_Model__c', text, 'm'.repeat(255))).toBeNull();
    expect(valueProblem('AI_Model__c', text, 'm'.repeat(300))).toBe(
      `AI_Model__c holds at most 255 characters; this value has 300 ("${'m'.repeat(40)}…"). Shorten it before sending; the org would refuse it (STRING_TOO_LONG).`
    );
  });

  it('refuses numbers with more integer digits than precision minus scale, in both signs', () => {
    expect(valueProblem('C', percent, 999.99)).toBeNull();
    expect(valueProblem('C', percent, -999.99)).toBeNull();
    expect(valueProblem('C', percent, 0.5)).toBeNull();
    expect(valueProblem('C', percent, 1000)).toMatch(
      /at most 3 digits before the decimal point \(precision 5, scale 2\): -999\.99 to 999\.99; got 1000\./
    );
    expect(valueProblem('C', percent, -1000)).toMatch(/got -1000\./);
    expect(valueProblem('N', whole, 1000)).toMatch(/-999 to 999; got 1000/);
  });

  it('refuses a value outside a restricted picklist, and not outside an open one', () => {
    const restricted = { type: 'Picklist', values: ['a', 'b'], restricted: true };
    expect(valueProblem('P', restricted, 'a')).toBeNull();
    expect(valueProblem('P', restricted, 'c')).toBe(
      'P does not accept "c": it is a restricted picklist. Use one of: a, b.'
    );
    expect(valueProblem('P', { ...restricted, restricted: false }, 'c')).toBeNull();
  });

  it('refuses dates outside 1700-01-01..4000-12-31 and dates that are not on the calendar', () => {
    const at = { type: 'DateTime' };
    const day = { type: 'Date' };
    expect(valueProblem('G', at, '1700-01-01T00:00:00Z')).toBeNull();
    expect(valueProblem('G', at, '4000-12-31T00:00:00Z')).toBeNull();
    expect(valueProblem('G', at, '1699-12-31T23:59:59Z')).toMatch(/1700-01-01 to 4000-12-31/);
    expect(valueProblem('G', at, '4000-12-31T00:00:01Z')).toMatch(/1700-01-01 to 4000-12-31/);
    expect(valueProblem('D', day, '2026-02-28')).toBeNull();
    expect(valueProblem('D', day, '2026-02-30')).toMatch(/not a calendar date/);
    expect(valueProblem('D', day, '1600-01-01')).toMatch(/1700-01-01 to 4000-12-31/);
  });

  it('leaves nulls, unknown fields and booleans alone', () => {
    expect(valueProblem('X', undefined, 'x'.repeat(999))).toBeNull();
    expect(valueProblem('X', text, null)).toBeNull();
    expect(valueProblem('X', { type: 'Checkbox' }, true)).toBeNull();
  });
});

describe('sdg validate-payload against the field definitions', () => {
  it('exits 2 for a 300-character AI_Model__c and says the limit and what to do', async () => {
    const file = path.join(dir, 'long-model.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ LastName: 'Ng', Company: 'Acme', AI_Model__c: `openai/${'x'.repeat(293)}` })
    );
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runCli(['validate-payload', file, '--object', 'Lead'], {
      out: (l) => stdout.push(l),
      err: (l) => stderr.push(l)
    });
    expect(code).toBe(2);
    expect(stderr.join('\n')).toMatch(
      /INVALID_VALUE \(record 0, AI_Model__c\): AI_Model__c holds at most 255 characters; this value has 300/
    );
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BROKEN_PACKAGE, PROJECT_ROOT } from '../broken-samples';
import { MetadataTypes } from './metadata-types';
import {
  checkTextValues,
  headerValueProblems,
  layoutOf,
  lengthProblems,
  textValueProblems
} from './text-values';

const types = MetadataTypes.load();
const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const XSI =
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"';

/** Writes a throwaway package from `relative path → content` and returns its directory. */
function packageOf(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-text-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return root;
}

function found(files: Record<string, string>): string[] {
  const root = packageOf(files);
  return checkTextValues([root], types, root).map((f) => `${f.file}:${f.line} ${f.rule}`);
}

describe('checkTextValues on the broken samples', () => {
  const findings = checkTextValues([BROKEN_PACKAGE], types, PROJECT_ROOT).map(
    (f) =>
      `${path.basename(f.file)}:${f.line} ${f.rule} ${f.message.split(' ').slice(0, 3).join(' ')}`
  );

  it('reports a padded label value, a padded custom metadata value and a URL with a line break', () => {
    expect(findings).toEqual([
      'Sample_Setting.Padded.md-meta.xml:7 metadata/text-padded <value> of Codes__c',
      'Sample_Setting.Padded.md-meta.xml:13 metadata/text-line-break <value> of Help_URL__c',
      'CustomLabels.labels-meta.xml:8 metadata/text-padded <value> starts and',
      'Help_URL__c.field-meta.xml:4 metadata/text-wrapped <description> has a'
    ]);
  });

  it('finds nothing in the real package', () => {
    expect(checkTextValues([path.join(PROJECT_ROOT, 'force-app')], types)).toEqual([]);
  });
});

describe('which values may span lines', () => {
  it('lets formulas and flow formula expressions hold any inner whitespace', () => {
    expect(layoutOf('ValidationRule', 'errorConditionFormula')).toBe('free');
    expect(layoutOf('CustomField', 'formula')).toBe('free');
    expect(layoutOf('FlowFormula', 'expression')).toBe('free');
  });

  it('lets descriptions, help text and custom label values be prose', () => {
    expect(layoutOf('CustomField', 'description')).toBe('prose');
    expect(layoutOf('CustomField', 'inlineHelpText')).toBe('prose');
    expect(layoutOf('CustomLabel', 'value')).toBe('prose');
  });

  it('keeps everything else on one line', () => {
    expect(layoutOf('CustomLabel', 'shortDescription')).toBe('line');
    expect(layoutOf('PermissionSet', 'label')).toBe('line');
    expect(layoutOf('ExternalCredentialPrincipalAccess', 'externalCredentialPrincipal')).toBe(
      'line'
    );
    expect(layoutOf(undefined, 'fullName')).toBe('line');
  });
});

describe('textValueProblems', () => {
  const rules = (text: string, layout: 'line' | 'prose' | 'free') =>
    textValueProblems(text, layout).map((p) => p.rule);

  it('accepts clean values and empty ones', () => {
    expect(rules('Lead policy', 'line')).toEqual([]);
    expect(rules('', 'line')).toEqual([]);
    expect(rules('OR(\n  A__c,\n  B__c\n)', 'free')).toEqual([]);
    expect(rules('First paragraph.\n\nSecond paragraph.', 'prose')).toEqual([]);
  });

  it('reports padding in every layout and says which end', () => {
    expect(rules(' x', 'free')).toEqual(['metadata/text-padded']);
    expect(textValueProblems('x\n', 'prose')[0]?.message).toMatch(/^ends with whitespace/);
    expect(textValueProblems('\tx', 'line')[0]?.message).toMatch(/^starts with whitespace/);
  });

  it('reports a line break in a one-line value and an indented line in prose', () => {
    expect(rules('https://example.com/\nplaybook', 'line')).toEqual(['metadata/text-line-break']);
    expect(rules('Wrapped by\n    a formatter.', 'prose')).toEqual(['metadata/text-wrapped']);
    expect(rules('Wrapped by\n    a formatter.', 'free')).toEqual([]);
  });
});

describe('checkTextValues on a package', () => {
  const mdtField = (name: string, type: string) =>
    `<CustomField ${NS}><fullName>${name}</fullName><label>L</label><type>${type}</type></CustomField>`;

  it('lets a custom metadata value span lines only when its field is a text area', () => {
    expect(
      found({
        'objects/Cfg__mdt/Cfg__mdt.object-meta.xml': `<CustomObject ${NS}><label>Cfg</label><pluralLabel>Cfgs</pluralLabel></CustomObject>`,
        'objects/Cfg__mdt/fields/Notes__c.field-meta.xml': mdtField('Notes__c', 'LongTextArea'),
        'objects/Cfg__mdt/fields/Code__c.field-meta.xml': mdtField('Code__c', 'Text'),
        'customMetadata/Cfg.Main.md-meta.xml': [
          `<CustomMetadata ${NS} ${XSI}><label>Main</label>`,
          '<values><field>Notes__c</field><value xsi:type="xsd:string">one\n  two</value></values>',
          '<values><field>Code__c</field><value xsi:type="xsd:string">A\nB</value></values>',
          '<values><field>Gone__c</field><value xsi:nil="true"/></values>',
          '</CustomMetadata>'
        ].join('\n')
      })
    ).toEqual([
      path.join('customMetadata', 'Cfg.Main.md-meta.xml') + ':4 metadata/text-line-break'
    ]);
  });

  it('reports padded names nested in a type and leaves formulas alone', () => {
    expect(
      found({
        'permissionsets/P.permissionset-meta.xml': [
          `<PermissionSet ${NS}><label>P</label>`,
          '<externalCredentialPrincipalAccesses><enabled>true</enabled>',
          '<externalCredentialPrincipal>\n  Cred-Principal\n</externalCredentialPrincipal>',
          '</externalCredentialPrincipalAccesses></PermissionSet>'
        ].join('\n'),
        'objects/W__c/validationRules/R.validationRule-meta.xml': `<ValidationRule ${NS}><fullName>R</fullName><active>true</active><errorConditionFormula>OR(\n  A__c,\n  B__c\n)</errorConditionFormula><errorMessage>No.</errorMessage></ValidationRule>`
      })
    ).toEqual([
      path.join('permissionsets', 'P.permissionset-meta.xml') + ':3 metadata/text-padded'
    ]);
  });
});

describe('values longer than the org accepts', () => {
  const rules = (typeName: string, name: string, length: number) =>
    lengthProblems(typeName, name, 'x'.repeat(length)).map((p) => p.rule);

  it('holds each documented limit at its boundary', () => {
    for (const [typeName, name, max] of [
      ['ValidationRule', 'description', 255],
      ['ValidationRule', 'errorMessage', 255],
      ['CustomLabel', 'value', 1000],
      ['CustomField', 'description', 1000],
      ['CustomField', 'inlineHelpText', 510]
    ] as const) {
      expect(rules(typeName, name, max)).toEqual([]);
      expect(rules(typeName, name, max + 1)).toEqual(['metadata/text-too-long']);
    }
  });

  it('leaves properties without a known limit alone', () => {
    expect(rules('CustomObject', 'description', 5000)).toEqual([]);
    expect(rules('CustomField', 'formula', 5000)).toEqual([]);
  });

  it('reports a validation rule description and a label value too long, with both lengths', () => {
    const long = 'x'.repeat(256);
    const findings = checkTextValues(
      [
        packageOf({
          'objects/W__c/validationRules/R.validationRule-meta.xml': `<ValidationRule ${NS}><fullName>R</fullName><active>true</active><description>${long}</description><errorConditionFormula>true</errorConditionFormula><errorMessage>No.</errorMessage></ValidationRule>`,
          'labels/CustomLabels.labels-meta.xml': `<CustomLabels ${NS}><labels><fullName>L</fullName><language>en_US</language><protected>false</protected><shortDescription>L</shortDescription><value>${'y'.repeat(1001)}</value></labels></CustomLabels>`
        })
      ],
      types
    );
    expect(findings.map((f) => `${f.rule} ${f.message.split(';')[0]}`).sort()).toEqual([
      'metadata/text-too-long <description> is 256 characters',
      'metadata/text-too-long <value> is 1001 characters'
    ]);
  });
});

describe('credential custom header values', () => {
  const rules = (text: string) => headerValueProblems(text).map((p) => p.rule);

  it('accepts a formula wholly inside the braces and a header with no merge field', () => {
    expect(rules("{!'Bearer ' & $Credential.Synthetic_Alert_Webhook.ApiKey}")).toEqual([]);
    expect(
      rules(
        "{!'Basic ' & BASE64ENCODE(BLOB($Credential.B.Username & ':' & $Credential.B.Password))}"
      )
    ).toEqual([]);
    expect(rules('application/json')).toEqual([]);
  });

  it('refuses text outside the braces mixed with a merge field, and names that text', () => {
    const [problem] = headerValueProblems("'Bearer ' & {!$Credential.X.ApiKey}");
    expect(problem?.rule).toBe('metadata/credential-header-formula');
    expect(problem?.message).toContain(`("'Bearer ' &")`);
    expect(rules('Bearer {!$Credential.X.ApiKey}')).toEqual(['metadata/credential-header-formula']);
    expect(rules("{!'Bearer '} {!$Credential.X.ApiKey}")).toEqual([]);
  });

  it('reports the broken sample: an External Credential header formula outside its braces', () => {
    expect(
      found({
        'externalCredentials/Broken.externalCredential-meta.xml': [
          `<ExternalCredential ${NS}><authenticationProtocol>Custom</authenticationProtocol>`,
          '<externalCredentialParameters><parameterGroup>DefaultGroup</parameterGroup>',
          '<parameterName>Authorization</parameterName><parameterType>AuthHeader</parameterType>',
          "<parameterValue>'Bearer ' &amp; {!$Credential.Broken.ApiKey}</parameterValue>",
          '<sequenceNumber>1</sequenceNumber></externalCredentialParameters>',
          '<externalCredentialParameters><parameterGroup>P</parameterGroup><parameterName>P</parameterName>',
          '<parameterType>NamedPrincipal</parameterType><parameterValue>{!x} y</parameterValue>',
          '<sequenceNumber>1</sequenceNumber></externalCredentialParameters>',
          '<label>Broken</label></ExternalCredential>'
        ].join('\n')
      })
    ).toEqual([
      path.join('externalCredentials', 'Broken.externalCredential-meta.xml') +
        ':4 metadata/credential-header-formula'
    ]);
  });
});

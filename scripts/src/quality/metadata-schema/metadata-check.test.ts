import path from 'node:path';
import { BROKEN_PACKAGE, PROJECT_ROOT } from '../broken-samples';
import { checkMetadataSchema } from './metadata-check';
import { MetadataTypes } from './metadata-types';
import { SchemaChecker } from './schema-check';
import { parseXmlTree, XmlSyntaxError } from './xml-tree';

const types = MetadataTypes.load();
const checker = new SchemaChecker(types);

function check(xml: string, typeName: string) {
  return checker.check(parseXmlTree(xml), typeName, 'file.xml');
}

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';

describe('MetadataTypes (from @salesforce/types)', () => {
  it('reads object types with inherited properties and enumerations', () => {
    expect(types.types.size).toBeGreaterThan(1000);
    expect(types.propertiesOf('ApexClass')?.get('status')).toMatchObject({
      kind: 'ref',
      ref: 'ApexCodeUnitStatus',
      optional: false
    });
    expect(types.propertiesOf('CustomField')?.has('fullName')).toBe(true);
    expect(types.types.get('FieldType')).toMatchObject({
      kind: 'enum',
      values: expect.arrayContaining(['Checkbox', 'Text'])
    });
    expect(types.propertiesOf('FieldType')).toBeUndefined();
  });
});

describe('checkMetadataSchema on the broken samples', () => {
  const findings = checkMetadataSchema([BROKEN_PACKAGE], types, PROJECT_ROOT);
  const byFile = (name: string) => findings.filter((f) => f.file.endsWith(name));

  it('reports a misspelled element at its line and suggests the right one', () => {
    expect(byFile('Misspelled_Element__c.field-meta.xml')).toEqual([
      expect.objectContaining({
        line: 4,
        column: 5,
        rule: 'metadata/unknown-element',
        message: '<lable> is not an element of CustomField. Did you mean <label>?'
      })
    ]);
  });

  it('reports a value outside the enumeration and names the valid spelling', () => {
    expect(byFile('Wrong_Case_Type__c.field-meta.xml')).toEqual([
      expect.objectContaining({
        line: 5,
        rule: 'metadata/invalid-value',
        message: '"CheckBox" is not a valid FieldType. Did you mean "Checkbox"?'
      })
    ]);
  });

  it('reports the malformed -meta.xml as an XML syntax error with its line', () => {
    expect(byFile('MalformedMeta.cls-meta.xml')).toEqual([
      expect.objectContaining({ rule: 'xml/syntax', line: 5 })
    ]);
  });

  it('passes the well-formed Apex and LWC samples', () => {
    expect(byFile('UnknownField.cls-meta.xml')).toEqual([]);
    expect(byFile('lintError.js-meta.xml')).toEqual([]);
  });
});

describe('SchemaChecker', () => {
  it('passes the real package clean', () => {
    expect(checkMetadataSchema([path.join(PROJECT_ROOT, 'force-app')], types)).toEqual([]);
  });

  it('checks root element, namespace and required properties', () => {
    expect(
      check(
        `<ApexTrigger ${NS}><apiVersion>66.0</apiVersion><status>Active</status></ApexTrigger>`,
        'ApexClass'
      )[0]?.rule
    ).toBe('metadata/root-element');
    expect(
      check(
        '<ApexClass><apiVersion>66.0</apiVersion><status>Active</status></ApexClass>',
        'ApexClass'
      ).map((f) => f.rule)
    ).toEqual(['metadata/namespace']);
    expect(
      check(`<ApexClass ${NS}><apiVersion>66.0</apiVersion></ApexClass>`, 'ApexClass')
    ).toEqual([
      expect.objectContaining({
        rule: 'metadata/missing-required',
        message: 'ApexClass requires <status>.'
      })
    ]);
    expect(check(`<Nope ${NS}/>`, 'Nope')[0]?.rule).toBe('metadata/unknown-type');
  });

  it('checks booleans, numbers and nesting', () => {
    const messages = check(
      `<CustomField ${NS}>
         <fullName>A__c</fullName><label>A</label><type>Number</type>
         <precision>eighteen</precision><scale>0</scale>
         <externalId>yes</externalId>
         <label2>x</label2>
         <valueSet>text</valueSet>
         <description><b>nested</b></description>
       </CustomField>`,
      'CustomField'
    ).map((f) => f.message);
    expect(messages).toEqual([
      '<precision> must be a number, found "eighteen".',
      '<externalId> must be true or false, found "yes".',
      '<label2> is not an element of CustomField. Did you mean <label>?',
      '<valueSet> of CustomField holds ValueSet elements, not text.',
      '<description> of CustomField takes a value, not nested elements.'
    ]);
  });

  it('checks nested types recursively and lists allowed values when nothing is close', () => {
    const findings = check(
      `<CustomField ${NS}><fullName>P__c</fullName><label>P</label><type>Picklist</type>
         <valueSet><restricted>true</restricted><valueSetDefinition><sorted>false</sorted>
           <value><fullName>a</fullName><default>false</default><lable>A</lable></value>
         </valueSetDefinition></valueSet>
         <deleteConstraint>Explode</deleteConstraint>
       </CustomField>`,
      'CustomField'
    );
    expect(findings.map((f) => f.message)).toEqual([
      '<lable> is not an element of CustomValue. Did you mean <label>?',
      '"Explode" is not a valid DeleteConstraint. Allowed: Cascade, Restrict, SetNull.'
    ]);
  });

  it('accepts any value where the type says any, and xsi:nil', () => {
    expect(
      check(
        `<CustomMetadata ${NS} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><label>x</label><protected>false</protected>
          <values><field>A__c</field><value xsi:type="xsd:boolean">true</value></values>
          <values><field>B__c</field><value xsi:nil="true"/></values></CustomMetadata>`,
        'CustomMetadata'
      )
    ).toEqual([]);
  });
});

describe('parseXmlTree', () => {
  it('records positions and text, including CDATA', () => {
    const root = parseXmlTree('<a>\n  <b x="1"><![CDATA[<hi>]]></b>\n</a>');
    expect(root.children[0]).toMatchObject({
      name: 'b',
      line: 2,
      column: 3,
      attributes: { x: '1' },
      text: '<hi>'
    });
  });

  it('throws a positioned error for malformed or empty documents', () => {
    expect(() => parseXmlTree('<a>\n<b></a>')).toThrow(XmlSyntaxError);
    expect(() => parseXmlTree('   ')).toThrow(XmlSyntaxError);
  });
});

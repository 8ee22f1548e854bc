import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  FILE_OBJECT,
  GOVERNED_OBJECTS,
  OPTIONAL_PROVENANCE_FIELDS,
  PROVENANCE_FIELDS,
  provenanceFieldsOf
} from '../../provenance-model/schema';
import { governTargetOf } from '../../govern/object-kind';
import { BROKEN_PACKAGE, PROJECT_ROOT } from '../broken-samples';
import { checkMetadata } from '../metadata-preflight';
import {
  CONFIGURED_OBJECTS,
  checkFieldListConstants,
  checkFieldMap,
  checkFieldMapBypass,
  partialFields,
  readFieldMap,
  readOptionalFields
} from './field-map-check';
import { SourceText } from './source-files';

const PACKAGE_MAP = path.join(
  PROJECT_ROOT,
  'force-app',
  'main',
  'provenance-model',
  'classes',
  'ProvenanceFields.cls'
);

describe('field map gate (ProvenanceFields against the field metadata)', () => {
  it('reports a field the map names for an object that lacks it, and a stray write-once field', () => {
    const findings = checkFieldMap([BROKEN_PACKAGE], PROJECT_ROOT);
    expect(findings.map((f) => `${path.basename(f.file)}:${f.line} ${f.rule}`)).toEqual([
      'ProvenanceFields.cls:12 reference/field-map',
      'ProvenanceFields.cls:17 reference/field-map',
      'FieldMapBypass.cls:12 reference/field-map-bypass',
      'FieldListConstant.cls:7 reference/field-map-list'
    ]);
    expect(findings[0]?.message).toContain(
      'ProvenanceFields says ContentVersion has Provenance_Batch__c, but the package has no ContentVersion.Provenance_Batch__c field'
    );
    expect(findings[1]?.message).toContain('Description as write-once on ContentVersion');
    expect(findings[2]?.message).toContain(
      "get('Company') on an SObject: ContentVersion lacks that field"
    );
    expect(findings[2]?.message).toContain('ProvenanceFields.valueOf');
    expect(findings[3]?.message).toContain(
      'COPIED_FIELDS names Company, which ContentVersion lacks, and is used for more than a membership test (line 17)'
    );
  });

  it('passes a field list filtered through ProvenanceFields.presentOn or used for membership only', () => {
    const lacking = new Map([['provenance_batch__c', ['ContentVersion']]]);
    const source = (body: string): SourceText => ({
      file: path.join(PROJECT_ROOT, 'Sample.cls'),
      text: [
        'public class Sample {',
        "  static final List<String> STAMPED = new List<String>{ 'Synthetic_Status__c', 'Provenance_Batch__c' };",
        body,
        '}'
      ].join('\n')
    });
    expect(
      checkFieldListConstants(
        [
          source(
            '  void a(String o) { for (String f : ProvenanceFields.presentOn(o, STAMPED)) {} }'
          )
        ],
        lacking,
        PROJECT_ROOT
      )
    ).toEqual([]);
    expect(
      checkFieldListConstants(
        [source("  Boolean b() { return STAMPED.contains('x'); }")],
        lacking,
        PROJECT_ROOT
      )
    ).toEqual([]);
    expect(
      checkFieldListConstants(
        [source('  void c(SObject r) { for (String f : STAMPED) { r.get(f); } }')],
        lacking,
        PROJECT_ROOT
      ).map((f) => `${f.line} ${f.rule}`)
    ).toEqual(['2 reference/field-map-list']);
  });

  it('is part of check:metadata, so the broken sample fails the gate', () => {
    const rules = checkMetadata([BROKEN_PACKAGE]).map((f) => f.rule);
    expect(rules).toContain('reference/field-map');
  });

  it('passes the real package: every field the map names exists on its object', () => {
    expect(checkFieldMap([path.join(PROJECT_ROOT, 'force-app')], PROJECT_ROOT)).toEqual([]);
  });

  it('agrees with the TypeScript twin (provenanceFieldsOf) for every governed object and files', () => {
    const declared = readFieldMap(fs.readFileSync(PACKAGE_MAP, 'utf8'));
    const byObject = Object.fromEntries(
      (declared.FIELDS_BY_OBJECT ?? []).map((entry) => [entry.objectName, [...entry.fields].sort()])
    );
    const expected = Object.fromEntries(
      [...GOVERNED_OBJECTS, FILE_OBJECT].map((name) => [name, provenanceFieldsOf(name).sort()])
    );
    expect(byObject).toEqual(expected);
  });

  it('keeps files free of the batch field in the write-once list', () => {
    const declared = readFieldMap(fs.readFileSync(PACKAGE_MAP, 'utf8'));
    const writeOnce = new Map(
      (declared.WRITE_ONCE_BY_OBJECT ?? []).map((entry) => [entry.objectName, entry.fields])
    );
    expect(writeOnce.get(FILE_OBJECT)).not.toContain(PROVENANCE_FIELDS.provenanceBatch);
    for (const name of GOVERNED_OBJECTS)
      expect(writeOnce.get(name)).toContain(PROVENANCE_FIELDS.provenanceBatch);
  });

  it('reports a map it cannot read instead of passing it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'field-map-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'ProvenanceFields.cls'),
        'public class ProvenanceFields { static Map<String, List<String>> FIELDS_BY_OBJECT = build(); }'
      );
      const messages = checkFieldMap([dir], PROJECT_ROOT).map((f) => f.message);
      expect(messages).toHaveLength(2);
      expect(messages[0]).toContain('is not a map literal of string lists the gate can read');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads inline list literals and ignores commented-out entries', () => {
    const declared = readFieldMap(
      [
        'class ProvenanceFields {',
        '  Map<String, List<String>> FIELDS_BY_OBJECT = new Map<String, List<String>>{',
        "    // 'Lead' => new List<String>{ 'Nope__c' },",
        "    'Case' => new List<String>{ 'A__c', 'B__c' }",
        '  };',
        '  Map<String, List<String>> WRITE_ONCE_BY_OBJECT = new Map<String, List<String>>{ };',
        '}'
      ].join('\n')
    );
    expect(declared.FIELDS_BY_OBJECT).toEqual([
      { objectName: 'Case', fields: ['A__c', 'B__c'], line: 4 }
    ]);
    expect(declared.WRITE_ONCE_BY_OBJECT).toEqual([]);
  });
});

describe('objects governed by configuration (ProvenanceFields.OPTIONAL_RECORD_FIELDS)', () => {
  const source = fs.readFileSync(PACKAGE_MAP, 'utf8');

  it('agrees with the TypeScript twin and with what sdg govern leaves off Task', () => {
    expect(readOptionalFields(source)).toEqual([...OPTIONAL_PROVENANCE_FIELDS]);
    expect(Object.keys(governTargetOf('Task').skippedFields)).toEqual([
      ...OPTIONAL_PROVENANCE_FIELDS
    ]);
    expect(governTargetOf('Invoice__c').skippedFields).toEqual({});
  });

  it('counts an optional field as lacking on configured objects, so reading it by name is reported', () => {
    const lacking = partialFields(readFieldMap(source), readOptionalFields(source));
    expect(lacking.get('synthetic_reviewed_by__c')).toEqual([FILE_OBJECT, CONFIGURED_OBJECTS]);
    const findings = checkFieldMapBypass(
      [
        {
          file: path.join(PROJECT_ROOT, 'Reviewer.cls'),
          text: "public class Reviewer {\n  void mark(SObject r) { r.put('Synthetic_Reviewed_By__c', null); }\n}"
        }
      ],
      lacking,
      PROJECT_ROOT
    );
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining(`${FILE_OBJECT}, ${CONFIGURED_OBJECTS} lack that field`)
    ]);
  });

  it('reports an optional field that is no record field', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'field-map-optional-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'ProvenanceFields.cls'),
        source.replace("'Synthetic_Reviewed_By__c'\n  };", "'Media_Byte_Hash__c'\n  };")
      );
      const messages = checkFieldMap([dir], PROJECT_ROOT).map((f) => f.message);
      expect(messages).toContainEqual(
        expect.stringContaining('OPTIONAL_RECORD_FIELDS names Media_Byte_Hash__c')
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

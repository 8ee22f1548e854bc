import path from 'node:path';
import { PROJECT_ROOT } from '../quality/broken-samples';
import { loadMediaVectors } from '../media/media-vectors';
import { childText, childTexts, IndexedFile, PackageIndex } from '../quality/package-index';
import {
  AUDIT_EVENT,
  AUDIT_SETTINGS,
  AUDIT_EVENT_TYPES,
  AUDIT_PLATFORM_EVENT,
  CUSTOM_PERMISSIONS,
  DECISIONS,
  DERIVED_FIELDS,
  ENFORCEMENT_MODES,
  FILE_OBJECT,
  FILE_PROVENANCE_ROLES,
  GENERATION_METHODS,
  GOVERNED_OBJECTS,
  GUARD_SETTINGS,
  HISTORY_TRACKED_ROLES,
  MEDIA_SCAN_FIELDS,
  MEDIA_SCAN_VERDICTS,
  PERMISSION_SETS,
  POLICY_TYPE,
  PROVENANCE_FIELD_TYPES,
  PROVENANCE_FIELDS,
  provenanceFieldsOf,
  ProvenanceRole,
  QUARANTINE_QUEUE,
  SYNTHETIC_STATUSES,
  TRUSTED_SOURCE_TYPE
} from './schema';

const index = PackageIndex.load([path.join(PROJECT_ROOT, 'force-app')]);
const ROLES = Object.keys(PROVENANCE_FIELDS) as ProvenanceRole[];
/** Salesforce's data-classification sensitivity levels. */
const SENSITIVITY = ['Public', 'Internal', 'Confidential', 'Restricted', 'MissionCritical'];

function picklistValues(field: IndexedFile): string[] {
  const definition = field.root.children
    .find((c) => c.name === 'valueSet')
    ?.children.find((c) => c.name === 'valueSetDefinition');
  return (definition?.children ?? [])
    .filter((c) => c.name === 'value')
    .map((v) => childText(v, 'fullName') ?? '');
}

function fieldNames(objectName: string): string[] {
  return [...index.fieldsOf(objectName).keys()].sort();
}

describe('provenance fields in force-app match schema.ts', () => {
  it.each([...GOVERNED_OBJECTS, FILE_OBJECT])(
    '%s has exactly its provenance fields',
    (objectName) => {
      const derived = objectName === FILE_OBJECT ? [] : Object.values(DERIVED_FIELDS);
      expect(fieldNames(objectName)).toEqual(
        [...provenanceFieldsOf(objectName), ...derived].sort()
      );
    }
  );

  it('gives each governed object all 13 fields and the eligibility stamp, and files the 9 that fit them plus the scan', () => {
    for (const objectName of GOVERNED_OBJECTS) expect(index.fieldsOf(objectName).size).toBe(14);
    expect(index.fieldsOf(FILE_OBJECT).size).toBe(
      FILE_PROVENANCE_ROLES.length + Object.keys(MEDIA_SCAN_FIELDS).length
    );
  });

  it('offers every scanner verdict, and the platform states, as a media scan verdict', () => {
    const verdict = index.fieldsOf(FILE_OBJECT).get(MEDIA_SCAN_FIELDS.verdict)!;
    expect(picklistValues(verdict)).toEqual([...MEDIA_SCAN_VERDICTS]);
    const scannerVerdicts = new Set(
      loadMediaVectors().vectors.map((vector) => vector.expected.verdict)
    );
    for (const value of scannerVerdicts) expect(MEDIA_SCAN_VERDICTS).toContain(value);
    for (const set of Object.values(PERMISSION_SETS)) {
      const permissions = index.find('PermissionSet', set);
      if (!permissions) continue;
      const granted = permissions.root.children.filter(
        (c) =>
          c.name === 'fieldPermissions' &&
          Object.values(MEDIA_SCAN_FIELDS).some(
            (field) => childText(c, 'field') === `${FILE_OBJECT}.${field}`
          )
      );
      // Bypass, the alert sender and the badge's viewer sets grant no field access at all (the
      // viewers reach the badge's controller only, which decides what they may see).
      const noData: string[] = [
        PERMISSION_SETS.bypass,
        PERMISSION_SETS.alertSender,
        PERMISSION_SETS.disclosureViewer,
        PERMISSION_SETS.provenanceViewer
      ];
      const grantsData = !noData.includes(set);
      if (grantsData)
        expect([set, granted.length]).toEqual([set, Object.keys(MEDIA_SCAN_FIELDS).length]);
      for (const grant of granted) expect(childText(grant, 'editable')).toBe('false');
    }
  });

  it.each(ROLES)('%s has the declared type, length and picklist values on every object', (role) => {
    const expected = PROVENANCE_FIELD_TYPES[role];
    for (const objectName of [...GOVERNED_OBJECTS, FILE_OBJECT]) {
      const field = index.fieldsOf(objectName).get(PROVENANCE_FIELDS[role]);
      if (!field) continue; // files lack the reviewer fields, checked above
      expect(childText(field.root, 'type')).toBe(expected.type);
      if (expected.length) expect(childText(field.root, 'length')).toBe(String(expected.length));
    }
  });

  it('uses the IPTC terms and the review statuses as restricted picklists', () => {
    for (const objectName of [...GOVERNED_OBJECTS, FILE_OBJECT]) {
      const fields = index.fieldsOf(objectName);
      const method = fields.get(PROVENANCE_FIELDS.generationMethod);
      const status = fields.get(PROVENANCE_FIELDS.syntheticStatus);
      expect(method && picklistValues(method)).toEqual([...GENERATION_METHODS]);
      expect(status && picklistValues(status)).toEqual([...SYNTHETIC_STATUSES]);
      for (const picklist of [method, status]) {
        expect(
          picklist?.root.children
            .find((c) => c.name === 'valueSet')
            ?.children.find((c) => c.name === 'restricted')?.text
        ).toBe('true');
      }
    }
  });

  it('describes, explains and classifies every provenance field', () => {
    for (const objectName of [...GOVERNED_OBJECTS, FILE_OBJECT]) {
      for (const [name, field] of index.fieldsOf(objectName)) {
        const where = `${objectName}.${name}`;
        expect([where, (childText(field.root, 'description') ?? '').length > 20]).toEqual([
          where,
          true
        ]);
        expect([where, (childText(field.root, 'inlineHelpText') ?? '').length > 10]).toEqual([
          where,
          true
        ]);
        expect([
          where,
          SENSITIVITY.includes(childText(field.root, 'securityClassification') ?? '')
        ]).toEqual([where, true]);
        expect([where, childText(field.root, 'businessStatus')]).toEqual([where, 'Active']);
      }
    }
  });

  it('tracks history of the synthetic flag and status on every governed object', () => {
    for (const objectName of GOVERNED_OBJECTS) {
      expect(childText(index.find('CustomObject', objectName)!.root, 'enableHistory')).toBe('true');
      const tracked = [...index.fieldsOf(objectName)]
        .filter(([, f]) => childText(f.root, 'trackHistory') === 'true')
        .map(([n]) => n);
      expect(tracked.sort()).toEqual(
        HISTORY_TRACKED_ROLES.map((role) => PROVENANCE_FIELDS[role]).sort()
      );
    }
  });
});

describe('policy, audit and access metadata match schema.ts', () => {
  it('policy and registry custom metadata types have the named fields', () => {
    expect(fieldNames(POLICY_TYPE.name)).toEqual(Object.values(POLICY_TYPE.fields).sort());
    expect(fieldNames(TRUSTED_SOURCE_TYPE.name)).toEqual(
      Object.values(TRUSTED_SOURCE_TYPE.fields).sort()
    );
    expect(fieldNames(GUARD_SETTINGS.name)).toEqual(Object.values(GUARD_SETTINGS.fields).sort());
    expect(fieldNames(AUDIT_SETTINGS.name)).toEqual(Object.values(AUDIT_SETTINGS.fields).sort());
    const modes = index.fieldsOf(POLICY_TYPE.name).get(POLICY_TYPE.fields.enforcementMode);
    expect(modes && picklistValues(modes)).toEqual([...ENFORCEMENT_MODES]);
  });

  it('ships a Default policy and one per governed object, each with a valid mode', () => {
    const records = index
      .ofType('CustomMetadata')
      .filter((r) => r.fullName.startsWith('Synthetic_Policy.'));
    expect(records.map((r) => r.fullName.split('.')[1]).sort()).toEqual(
      ['Default', ...GOVERNED_OBJECTS, FILE_OBJECT].sort()
    );
    for (const record of records) {
      const mode = record.root.children.find(
        (v) => v.name === 'values' && childText(v, 'field') === POLICY_TYPE.fields.enforcementMode
      );
      expect(ENFORCEMENT_MODES).toContain(mode && childText(mode, 'value'));
    }
  });

  it('audit event object and platform event have the named fields and values', () => {
    expect(fieldNames(AUDIT_EVENT.name)).toEqual(Object.values(AUDIT_EVENT.fields).sort());
    expect(fieldNames(AUDIT_PLATFORM_EVENT.name)).toEqual(
      Object.values(AUDIT_PLATFORM_EVENT.fields).sort()
    );
    const fields = index.fieldsOf(AUDIT_EVENT.name);
    expect(picklistValues(fields.get(AUDIT_EVENT.fields.eventType)!)).toEqual([
      ...AUDIT_EVENT_TYPES
    ]);
    expect(picklistValues(fields.get(AUDIT_EVENT.fields.decision)!)).toEqual([...DECISIONS]);
    expect(childText(fields.get(AUDIT_EVENT.fields.sequence)!.root, 'unique')).toBe('true');
    expect(
      childText(index.find('CustomObject', AUDIT_PLATFORM_EVENT.name)!.root, 'publishBehavior')
    ).toBe('PublishImmediately');
  });

  it('defines the custom permissions, permission sets and quarantine queue', () => {
    expect(
      index
        .ofType('CustomPermission')
        .map((p) => p.fullName)
        .sort()
    ).toEqual(Object.values(CUSTOM_PERMISSIONS).sort());
    expect(
      index
        .ofType('PermissionSet')
        .map((p) => p.fullName)
        .sort()
    ).toEqual(Object.values(PERMISSION_SETS).sort());
    expect(index.find('Queue', QUARANTINE_QUEUE)).toBeDefined();
  });

  it("lets users read every provenance field and keeps status out of the integration user's hands", () => {
    const grants = (permissionSet: string) =>
      new Map(
        index
          .find('PermissionSet', permissionSet)!
          .root.children.filter((c) => c.name === 'fieldPermissions')
          .map((c) => [childText(c, 'field'), childText(c, 'editable') === 'true'])
      );
    const user = grants(PERMISSION_SETS.user);
    const integration = grants(PERMISSION_SETS.integration);
    for (const objectName of [...GOVERNED_OBJECTS, FILE_OBJECT]) {
      for (const field of provenanceFieldsOf(objectName)) {
        expect(user.get(`${objectName}.${field}`)).toBe(false);
      }
      if (objectName !== FILE_OBJECT)
        expect(user.get(`${objectName}.${DERIVED_FIELDS.automatedDecisionEligible}`)).toBe(false);
      expect(integration.get(`${objectName}.${PROVENANCE_FIELDS.syntheticStatus}`)).toBe(false);
      expect(integration.get(`${objectName}.${PROVENANCE_FIELDS.aiModel}`)).toBe(true);
    }
    const reviewer = index.find('PermissionSet', PERMISSION_SETS.reviewer)!.root;
    expect(
      reviewer.children
        .filter((c) => c.name === 'customPermissions')
        .map((c) => childText(c, 'name'))
    ).toEqual([CUSTOM_PERMISSIONS.review]);
    expect(childTexts(index.find('PermissionSet', PERMISSION_SETS.bypass)!.root, 'label')).toEqual([
      'Synthetic Data Enforcement Bypass'
    ]);
  });
});

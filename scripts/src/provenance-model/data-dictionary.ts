import fs from 'node:fs';
import path from 'node:path';
import { childText, IndexedFile, PackageIndex } from '../quality/package-index';
import { readSfdxProject } from '../quality/sfdx-project';
import {
  AUDIT_EVENT,
  AUDIT_SETTINGS,
  AUDIT_PLATFORM_EVENT,
  FILE_OBJECT,
  GOVERNED_OBJECTS,
  GUARD_SETTINGS,
  PERMISSION_SETS,
  POLICY_TYPE,
  TRUSTED_SOURCE_TYPE,
  DETECTION,
  DETECTOR_SETTINGS,
  RECALL
} from './schema';

/** Where the generated dictionary lives, relative to the project root. */
export const DATA_DICTIONARY_PATH = path.join('docs', 'data-dictionary.md');

/** The allow-list of Flows the bypass action accepts (force-app/main/enforcement). */
const BYPASS_FLOW_TYPE = 'Synthetic_Bypass_Flow__mdt';
/** The detection vendors' public keys (force-app/main/ingestion). */
const DETECTOR_KEY_TYPE = 'Synthetic_Detector_Key__mdt';

function cell(text: string | undefined): string {
  return (text ?? '').replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

function typeOf(field: IndexedFile): string {
  const type = childText(field.root, 'type') ?? '';
  const length = childText(field.root, 'length');
  if (childText(field.root, 'formula')) return `Formula (${type})`;
  if (type === 'Lookup') return `Lookup(${childText(field.root, 'referenceTo') ?? ''})`;
  if (type === 'Number' || type === 'Percent') {
    return `${type}(${childText(field.root, 'precision') ?? ''}, ${childText(field.root, 'scale') ?? ''})`;
  }
  return length ? `${type}(${length})` : type;
}

function picklist(field: IndexedFile): string {
  const values = field.root.children
    .find((c) => c.name === 'valueSet')
    ?.children.find((c) => c.name === 'valueSetDefinition')
    ?.children.filter((c) => c.name === 'value')
    .map((v) => `\`${childText(v, 'fullName') ?? ''}\` (${childText(v, 'label') ?? ''})`);
  return values?.length ? ` Values: ${values.join(', ')}.` : '';
}

function whoCanEdit(index: PackageIndex, objectName: string, fieldName: string): string {
  const editors = Object.values(PERMISSION_SETS).filter((permissionSet) =>
    index
      .find('PermissionSet', permissionSet)
      ?.root.children.some(
        (c) =>
          c.name === 'fieldPermissions' &&
          childText(c, 'field') === `${objectName}.${fieldName}` &&
          childText(c, 'editable') === 'true'
      )
  );
  return editors.length ? editors.join(', ') : 'nobody (read-only)';
}

function fieldTable(index: PackageIndex, objectName: string, withAccess: boolean): string {
  const header = withAccess
    ? '| Field | Label | Type | Meaning | Classification | History | Editable by |\n|---|---|---|---|---|---|---|\n'
    : '| Field | Label | Type | Meaning |\n|---|---|---|---|\n';
  const rows = [...index.fieldsOf(objectName)].map(([name, field]) => {
    const base = `| \`${name}\` | ${cell(childText(field.root, 'label'))} | ${typeOf(field)} | ${cell(childText(field.root, 'description'))}${cell(picklist(field)) ? ' ' + cell(picklist(field)) : ''} |`;
    if (!withAccess) return base;
    const classification = [
      childText(field.root, 'securityClassification'),
      childText(field.root, 'complianceGroup')
    ]
      .filter(Boolean)
      .join(', ');
    const history = childText(field.root, 'trackHistory') === 'true' ? 'tracked' : '';
    return `${base} ${classification} | ${history} | ${whoCanEdit(index, objectName, name)} |`;
  });
  return header + rows.join('\n') + '\n';
}

/** Renders the data dictionary from the package metadata (the source of truth). */
export function renderDataDictionary(index: PackageIndex): string {
  const sections = [
    '# Data dictionary',
    '',
    '<!-- Generated from force-app by `npm run docs:data-dictionary`; `npm test` fails when it is stale. -->',
    '',
    `Every governed object (${GOVERNED_OBJECTS.join(', ')}) carries the same 13 provenance fields; files (${FILE_OBJECT}) carry the 9 that fit them (files are reviewed through the records they are linked to) and the media scan's verdict and details. Sensitivity is Salesforce Data Classification; "Editable by" lists the package's permission sets that grant edit (every persona can read).`,
    '',
    `## Provenance fields (${GOVERNED_OBJECTS[0]}; identical on ${GOVERNED_OBJECTS.slice(1).join(', ')})`,
    '',
    fieldTable(index, GOVERNED_OBJECTS[0], true),
    `## Provenance fields on files (${FILE_OBJECT})`,
    '',
    fieldTable(index, FILE_OBJECT, true),
    `## Policy (\`${POLICY_TYPE.name}\`, custom metadata)`,
    '',
    'One record per governed object plus `Default`. Validation rules refuse thresholds outside 0–100, a review threshold above the quarantine threshold, a missing mode, negative limits, a malformed field list and an unknown object.',
    '',
    fieldTable(index, POLICY_TYPE.name, false),
    `## Trusted AI sources (\`${TRUSTED_SOURCE_TYPE.name}\`, custom metadata)`,
    '',
    fieldTable(index, TRUSTED_SOURCE_TYPE.name, false),
    `## Kill switch (\`${GUARD_SETTINGS.name}\`, hierarchy custom setting)`,
    '',
    fieldTable(index, GUARD_SETTINGS.name, false),
    `## Flows allowed to bypass enforcement (\`${BYPASS_FLOW_TYPE}\`, custom metadata)`,
    '',
    'One record per Flow that may call the Bypass Synthetic Data Guard action; a Flow not listed (or listed inactive) is refused whoever it runs as.',
    '',
    fieldTable(index, BYPASS_FLOW_TYPE, false),
    `## Audit events (\`${AUDIT_EVENT.name}\`)`,
    '',
    fieldTable(index, AUDIT_EVENT.name, true),
    `## Audit platform event (\`${AUDIT_PLATFORM_EVENT.name}\`, publish immediately)`,
    '',
    fieldTable(index, AUDIT_PLATFORM_EVENT.name, false),
    `## Audit signing and retention (\`${AUDIT_SETTINGS.name}\`, protected hierarchy custom setting)`,
    '',
    fieldTable(index, AUDIT_SETTINGS.name, false),
    '## Audit notes (`Synthetic_Audit_Note__c`)',
    '',
    'Free text an audit event names by digest (review reasons, evidence): written only with its event, never edited, deleted only by an erasure request (docs/audit.md, Erasure).',
    '',
    fieldTable(index, 'Synthetic_Audit_Note__c', false),
    `## Detector results (\`${DETECTION.name}\`)`,
    '',
    'Written by the detections endpoint in system mode; one row per accepted delivery.',
    '',
    fieldTable(index, DETECTION.name, false),
    '## Detector requests (`Synthetic_Detector_Request__c`)',
    '',
    "One per file sent to the deepfake detector, written by MediaDetectorDispatch in system mode before the file's own status, so an attempt is counted even when the file cannot be saved; the detections endpoint marks it answered. Private; admins read it and may delete one to send its file again.",
    '',
    fieldTable(index, 'Synthetic_Detector_Request__c', false),
    `## Detector public keys (\`${DETECTOR_KEY_TYPE}\`, custom metadata)`,
    '',
    "The vendors' public keys that verify detector callbacks (docs/ingestion-api.md); nothing secret.",
    '',
    fieldTable(index, DETECTOR_KEY_TYPE, false),
    `## Detection vendors (\`${DETECTOR_SETTINGS.name}\`, list custom setting, deprecated)`,
    '',
    'Only read for a vendor whose key record opts in to the deprecated HMAC-SHA256 signature.',
    '',
    fieldTable(index, DETECTOR_SETTINGS.name, false),
    `## Recalls (\`${RECALL.name}\`)`,
    '',
    'One per recall or retention run: requested by one person, approved by another, applied by Batch Apex.',
    '',
    fieldTable(index, RECALL.name, true),
    `## Recall items (\`${RECALL.item}\`)`,
    '',
    'One per record a recall touched: the full backup (taken before the change) the undo reads, and the result.',
    '',
    fieldTable(index, RECALL.item, true),
    '## AI source requests (`AI_Source_Request__c`)',
    '',
    'One per request to trust a new AI model or provenance source (docs/policy.md, "Approving a new AI source"): requested by one person (CreatedBy), decided by a second person with Administer Synthetic Policy, deployed into `Trusted_AI_Source__mdt` by the package. Sharing is private; the status, decision and deploy fields are written by the package only.',
    '',
    fieldTable(index, 'AI_Source_Request__c', true),
    '## Alert rules (`Synthetic_Alert_Rule__mdt`, custom metadata)',
    '',
    'When an alert is raised (docs/alerts.md). Validation rules refuse a Threshold rule without a metric and limit, a missing severity and a negative window.',
    '',
    fieldTable(index, 'Synthetic_Alert_Rule__mdt', false),
    '## Alert channels (`Synthetic_Alert_Channel__mdt`, custom metadata)',
    '',
    fieldTable(index, 'Synthetic_Alert_Channel__mdt', false),
    '## Alerts (`Synthetic_Alert__c`)',
    '',
    "Written by AlertRaiser in system mode; a repeat inside the rule's window raises Occurrences instead of notifying again.",
    '',
    fieldTable(index, 'Synthetic_Alert__c', true),
    '## Alert deliveries (`Synthetic_Alert_Delivery__c`)',
    '',
    "One per alert and channel (trigger or resolve), updated by the delivery job's finalizer.",
    '',
    fieldTable(index, 'Synthetic_Alert_Delivery__c', false),
    '## Monitor snapshots (`Synthetic_Metric__c`)',
    '',
    fieldTable(index, 'Synthetic_Metric__c', false),
    '## Webhook alert secrets (`Synthetic_Alert_Secret__c`, list custom setting, deprecated)',
    '',
    'Only read for a webhook channel that opts in to the deprecated HMAC signature (docs/alerts.md).',
    '',
    fieldTable(index, 'Synthetic_Alert_Secret__c', false)
  ];
  return sections.join('\n');
}

/* istanbul ignore next -- process entry point */
if (require.main === module) {
  const root = process.cwd();
  const index = PackageIndex.load(readSfdxProject(root).packageDirectories);
  fs.writeFileSync(path.join(root, DATA_DICTIONARY_PATH), renderDataDictionary(index));
  console.log(`Wrote ${DATA_DICTIONARY_PATH}. Run \`npm run format\` before committing.`);
}

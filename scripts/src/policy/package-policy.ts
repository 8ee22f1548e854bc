import fs from 'node:fs';
import path from 'node:path';
import type { EnforcementMode } from '../provenance-model/schema';
import type { AutomatedDecisionSetting } from './automated-decisions';
import { childText, parseXmlTree } from '../quality/metadata-schema/xml-tree';
import type { DetectorMode, PolicyConfig, ProvenanceOverwriteRule } from './provenance-policy';
import type { RetentionActionSetting, RetentionConfig } from './retention-policy';
import type { TrustedSource } from './trusted-source-registry';

/** A policy as shipped or exported, with the sync setting the engine itself does not need. */
export interface ObjectPolicy extends PolicyConfig, RetentionConfig {
  allowSync: boolean;
  rejectedRetentionDays: number | null;
  /** Deleting a flagged or quarantined record is refused for non-reviewers (default true). */
  protectFromDelete: boolean;
  /** `Automated_Decisions__c` (blank: Exclude_Flagged_And_Quarantined); see automated-decisions.ts. */
  automatedDecisions?: AutomatedDecisionSetting | null;
}

/** Every object's policy plus the registry: what an org's custom metadata holds. */
export interface PolicySet {
  /** By governed object API name; `Default` applies to objects without their own. */
  policies: Record<string, ObjectPolicy>;
  trustedSources: TrustedSource[];
}

/** The policy for an object: its own, else Default, else Monitor (as SyntheticPolicySelector). */
export function policyFor(set: PolicySet, objectName: string): ObjectPolicy {
  return (
    set.policies[objectName] ??
    set.policies.Default ?? {
      mode: 'Monitor',
      requiredFields: [],
      reviewThreshold: null,
      quarantineThreshold: null,
      maxSyntheticPerTransaction: null,
      maxSyntheticPerSourcePerHour: null,
      allowSync: false,
      rejectedRetentionDays: null,
      protectFromDelete: true,
      syntheticRetentionDays: null
    }
  );
}

/** A custom metadata record file's field values (nil values as null). */
export function metadataValues(file: string): Map<string, string | null> {
  const root = parseXmlTree(fs.readFileSync(file, 'utf8'));
  return new Map(
    root.children
      .filter((c) => c.name === 'values')
      .map((v) => {
        const value = v.children.find((c) => c.name === 'value');
        return [
          childText(v, 'field') ?? '',
          value && value.attributes['xsi:nil'] !== 'true' ? value.text.trim() : null
        ];
      })
  );
}

function numberOrNull(text: string | null | undefined): number | null {
  return text === null || text === undefined || text === '' ? null : Number(text);
}

/** A policy record's fields, however they were read (package XML, SOQL, an export). */
export type FieldReader = (field: string) => string | null | undefined;

/** Builds an object policy from `Synthetic_Policy__mdt` field values. */
export function toObjectPolicy(get: FieldReader): ObjectPolicy {
  return {
    mode: (get('Enforcement_Mode__c') ?? 'Monitor') as EnforcementMode,
    requiredFields: (get('Required_Fields__c') ?? '')
      .split(';')
      .map((f) => f.trim())
      .filter(Boolean),
    reviewThreshold: numberOrNull(get('Review_Threshold__c')),
    quarantineThreshold: numberOrNull(get('Quarantine_Threshold__c')),
    maxSyntheticPerTransaction: numberOrNull(get('Max_Synthetic_Per_Transaction__c')),
    maxSyntheticPerSourcePerHour: numberOrNull(get('Max_Synthetic_Per_Source_Hour__c')),
    allowSync: String(get('Allow_Sync__c')) === 'true',
    rejectedRetentionDays: numberOrNull(get('Rejected_Retention_Days__c')),
    provenanceOverwrite: (get('Provenance_Overwrite__c') || null) as ProvenanceOverwriteRule | null,
    syntheticRetentionDays: numberOrNull(get('Synthetic_Retention_Days__c')),
    retentionAction: (get('Retention_Action__c') || null) as RetentionActionSetting | null,
    detectorMode: (get('Detector_Mode__c') || null) as DetectorMode | null,
    // Absent (a policy exported before the field existed) reads as the field's default.
    protectFromDelete: String(get('Protect_From_Delete__c') ?? 'true') !== 'false',
    automatedDecisions: (get('Automated_Decisions__c') || null) as AutomatedDecisionSetting | null
  };
}

/** Builds a registry entry from `Trusted_AI_Source__mdt` field values. */
export function toTrustedSource(get: FieldReader): TrustedSource {
  return {
    pattern: get('Pattern__c') ?? '',
    matchType: (get('Match_Type__c') ?? 'Prefix') as TrustedSource['matchType'],
    appliesTo: (get('Applies_To__c') ?? 'Model') as TrustedSource['appliesTo'],
    trusted: String(get('Trusted__c')) === 'true',
    expiresOn: get('Expires_On__c') || null
  };
}

/** Reads the policy and registry records shipped in the package (`force-app/main/policy/customMetadata`). */
export function loadPackagePolicy(projectRoot: string): PolicySet {
  const dir = path.join(projectRoot, 'force-app', 'main', 'policy', 'customMetadata');
  const set: PolicySet = { policies: {}, trustedSources: [] };
  for (const name of fs.readdirSync(dir).sort()) {
    const v = metadataValues(path.join(dir, name));
    const get = (field: string) => v.get(field);
    if (name.startsWith('Synthetic_Policy.'))
      set.policies[v.get('Governed_Object__c') ?? name.split('.')[1] ?? ''] = toObjectPolicy(get);
    else if (name.startsWith('Trusted_AI_Source.')) set.trustedSources.push(toTrustedSource(get));
  }
  return set;
}

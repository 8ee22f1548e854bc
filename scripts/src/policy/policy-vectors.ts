import fs from 'node:fs';
import path from 'node:path';
import { testStaticResources } from '../project-root';
import type {
  PolicyConfig,
  PolicyContext,
  PolicyDecision,
  PolicySignals,
  ProvenanceValues
} from './provenance-policy';
import type { ReasonCode } from './reason-codes';
import type { RetentionConfig, RetentionOutcome, RetentionRecord } from './retention-policy';
import type { TrustedSource } from './trusted-source-registry';

/** One shared test vector: inputs and the decision both engines must reach. */
export interface PolicyVector {
  name: string;
  description: string;
  policy?: Partial<PolicyConfig>;
  record: ProvenanceValues;
  previous?: ProvenanceValues;
  signals?: PolicySignals;
  context?: Partial<PolicyContext>;
  expected: PolicyDecision;
}

/** A retention vector: one record, one policy, the outcome both engines must reach. */
export interface RetentionVector {
  name: string;
  description: string;
  policy: RetentionConfig;
  record: RetentionRecord;
  now: string;
  expected: RetentionOutcome;
}

/** A reason merge vector: stored reasons plus added ones, the stored text both engines write. */
export interface ReasonMergeVector {
  name: string;
  stored: string | null;
  added: ReasonCode[];
  expected: string;
}

/** A decision's reasons and the Synthetic_Reasons__c text both engines store for them. */
export interface ReasonTextVector {
  name: string;
  reasons: string[];
  expected: string | null;
}

/** The vector file: defaults merged under every vector. */
export interface PolicyVectorFile {
  description: string;
  defaults: { policy: PolicyConfig; context: PolicyContext; trustedSources: TrustedSource[] };
  vectors: PolicyVector[];
  retention: RetentionVector[];
  reasonMerges: ReasonMergeVector[];
  reasonTexts: ReasonTextVector[];
}

/** Where the vectors live: a static resource, so the Apex test reads the very same file. */
export const POLICY_VECTORS_PATH = path.join(
  testStaticResources('policy'),
  'ProvenancePolicyVectors.json'
);

/** Reads the shared policy vectors. */
export function loadPolicyVectors(file = POLICY_VECTORS_PATH): PolicyVectorFile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as PolicyVectorFile;
}

import type { Decision, EnforcementMode, SyntheticStatus } from '../provenance-model/schema';
import { blankToNull, evaluate } from './policy-evaluation';
import { transition } from './policy-transition';
import type { WriteOnceField } from './provenance-values';
import type { ReasonCode } from './reason-codes';
import { TrustedSourceRegistry } from './trusted-source-registry';

export {
  AI_GENERATION_METHODS,
  contradictsDeclared,
  FUTURE_TOLERANCE_MS,
  overwrittenFields,
  WRITE_ONCE_FIELDS
} from './provenance-values';
export type { WriteOnceField } from './provenance-values';

/** The policy for one object (`Synthetic_Policy__mdt`), as the engine uses it. */
export interface PolicyConfig {
  mode: EnforcementMode;
  /** Provenance field API names a synthetic record must carry. */
  requiredFields: string[];
  reviewThreshold: number | null;
  quarantineThreshold: number | null;
  maxSyntheticPerTransaction: number | null;
  /** Rate guard: synthetic records one provenance source may create per hour (null: no limit). */
  maxSyntheticPerSourcePerHour?: number | null;
  /**
   * What an update by a non-reviewer that changes or blanks write-once provenance gets: `Keep`
   * (default) keeps the stored values and lets the rest through, `Reject` refuses the update,
   * `Allow` lets it through. Either way but `Allow`, the reason is PROVENANCE_OVERWRITE.
   */
  provenanceOverwrite?: ProvenanceOverwriteRule | null;
  /**
   * Files only: which scanned files also go to the deepfake detector (`Detector_Mode__c`; blank
   * means `Never`). See `sendsToDetector` in scripts/src/media/detector-mode.ts.
   */
  detectorMode?: DetectorMode | null;
}

/** `Synthetic_Policy__mdt.Detector_Mode__c` values. */
export const DETECTOR_MODES = ['Never', 'Undecided', 'Undecided_Or_No_Marker'] as const;
export type DetectorMode = (typeof DETECTOR_MODES)[number];

/** `Synthetic_Policy__mdt.Provenance_Overwrite__c` values. */
export const PROVENANCE_OVERWRITE_RULES = ['Keep', 'Reject', 'Allow'] as const;
export type ProvenanceOverwriteRule = (typeof PROVENANCE_OVERWRITE_RULES)[number];

/** A record's provenance fields, keyed by API name exactly as Salesforce returns them. */
export interface ProvenanceValues {
  Synthetic_Data__c?: boolean | null;
  AI_Model__c?: string | null;
  /** ISO 8601 date-time. */
  Generated_At__c?: string | null;
  Generation_Method__c?: string | null;
  Provenance_Source__c?: string | null;
  Synthetic_Confidence__c?: number | null;
  Provenance_Hash__c?: string | null;
  /** The import batch that wrote the record (recall selects by it). */
  Provenance_Batch__c?: string | null;
  Synthetic_Status__c?: string | null;
  /** Stored reasons, semicolon-separated: the transition carries the sticky ones. */
  Synthetic_Reasons__c?: string | null;
}

/** Evidence from outside the record: disclosure headers, media scans, detectors. */
export interface PolicySignals {
  /** An AI-disclosure header declared the content AI-generated. */
  aiDisclosed?: boolean;
  /** A linked file declares an AI digital source type (C2PA or IPTC). */
  mediaAiMarker?: boolean;
  /** A linked file points at content credentials that were removed. */
  mediaProvenanceStripped?: boolean;
  /**
   * A linked file refers to C2PA content credentials the scan could not read (verdict
   * `unreadable`): not proof of AI, but nothing says it is not, so it goes to review.
   */
  mediaUnreadable?: boolean;
  /** A detector's confidence (0-100) that the content is synthetic; overrides the record's. */
  detectorConfidence?: number | null;
  /**
   * Provenance the sender declared outside the record (disclosure headers). A record value that
   * disagrees with it is a DISCLOSURE_CONFLICT; a blank record value is no disagreement.
   */
  declared?: DeclaredProvenance;
  /** The declarations contradict each other (e.g. X-Synthetic-Data against AI-Disclosure). */
  disclosureConflict?: boolean;
}

/** Provenance values a sender declared outside the record. */
export type DeclaredProvenance = Omit<
  ProvenanceValues,
  'Synthetic_Status__c' | 'Synthetic_Reasons__c'
>;

/** Facts about the transaction the record is part of. */
export interface PolicyContext {
  /** ISO 8601 date-time the decision is taken at. */
  now: string;
  /** The running user holds the Review_Synthetic_Data custom permission. */
  canReview: boolean;
  /** Synthetic records this transaction already created before this one (bulk-injection guard). */
  syntheticSeenBefore: number;
  /** Synthetic records the record's source created in the last hour before this one (rate guard). */
  sourceSyntheticThisHour?: number;
  /**
   * A package service's save (recall, retention): the reason it adds (RECALLED, RETENTION_EXPIRED).
   * Its status request only raises the stored status. Absent or null: a person's save.
   */
  serviceReason?: ReasonCode | null;
}

/** Everything one decision needs. */
export interface PolicyInput {
  policy: PolicyConfig;
  record: ProvenanceValues;
  /** The stored values on update; null or absent on insert. */
  previous?: ProvenanceValues | null;
  signals?: PolicySignals;
  context: PolicyContext;
  registry: TrustedSourceRegistry;
}

/** What the engine decided, and what it stamps on the record. */
export interface PolicyDecision {
  decision: Decision;
  /** The `Synthetic_Status__c` to store (null: leave blank). */
  status: SyntheticStatus | null;
  /** The `Synthetic_Data__c` to store. */
  synthetic: boolean;
  reasons: ReasonCode[];
  /**
   * Write-once fields whose stored value the record keeps although the update changed or blanked
   * them (absent when none). The caller puts the previous values back.
   */
  kept?: WriteOnceField[];
}

/**
 * The policy decision for one record. Pure: no I/O, no clock (the context carries `now`).
 * This save is evaluated (policy-evaluation.ts), then weighed against the stored status and
 * reasons (policy-transition.ts, the table in docs/policy.md). Mirrors the Apex class
 * `ProvenancePolicy`; `ProvenancePolicyVectors.json` holds both to the same answers.
 */
export function decide(input: PolicyInput): PolicyDecision {
  if (input.policy.mode === 'Off') {
    return {
      decision: 'ACCEPT',
      status: blankToNull(input.record.Synthetic_Status__c) as SyntheticStatus | null,
      synthetic: input.record.Synthetic_Data__c === true,
      reasons: []
    };
  }
  return transition(input, evaluate(input));
}

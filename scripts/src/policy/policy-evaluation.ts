import type {
  PolicyInput,
  PolicySignals,
  ProvenanceValues,
  WriteOnceField
} from './provenance-policy';
import {
  AI_GENERATION_METHODS,
  contradictsDeclared,
  FUTURE_TOLERANCE_MS,
  overwrittenFields
} from './provenance-values';
import { MISSING_FIELD_REASONS, ReasonCode } from './reason-codes';

/**
 * What this save's values and evidence say about a record, before the stored state is weighed:
 * the "fresh" half of the decision. The transition (policy-transition.ts) combines it with the
 * stored status and reasons.
 */
export interface Evaluation {
  /** The record as it would be saved, with kept write-once values put back. */
  record: ProvenanceValues;
  /** Reasons this save's values and evidence give. */
  reasons: Set<ReasonCode>;
  /** The record says it is synthetic (Synthetic_Data__c). */
  claimsSynthetic: boolean;
  /** The record is synthetic by its claim, its AI signals or a high confidence. */
  synthetic: boolean;
  /** The status the save asks for (blank: null). */
  statusIn: string | null;
  /** Write-once fields whose stored values the record keeps. */
  kept: WriteOnceField[];
  /** The policy refuses this save's provenance overwrite. */
  refuseOverwrite: boolean;
}

export function blankToNull(value: string | number | boolean | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

/** Evaluates this save: overwrite handling, confidence, disclosure, media, provenance checks. */
export function evaluate(input: PolicyInput): Evaluation {
  const signals = input.signals ?? {};
  const evaluation: Evaluation = {
    record: input.record,
    reasons: new Set<ReasonCode>(),
    claimsSynthetic: input.record.Synthetic_Data__c === true,
    synthetic: false,
    statusIn: blankToNull(input.record.Synthetic_Status__c),
    kept: [],
    refuseOverwrite: false
  };
  guardOverwrite(input, evaluation);
  const high = addConfidenceReasons(input, signals, evaluation);
  const declaredAi = addDisclosureReasons(signals, evaluation);
  evaluation.synthetic = evaluation.claimsSynthetic || declaredAi || high;
  if (evaluation.synthetic) addProvenanceReasons(input, evaluation);
  return evaluation;
}

/** Write-once provenance a non-reviewer changes: kept, refused or allowed, as the policy says. */
function guardOverwrite(input: PolicyInput, evaluation: Evaluation): void {
  const previous = input.previous ?? null;
  const rule = input.policy.provenanceOverwrite ?? 'Keep';
  if (previous === null || input.context.canReview || rule === 'Allow') return;
  const overwritten = overwrittenFields(previous, input.record);
  if (overwritten.length === 0) return;
  evaluation.reasons.add('PROVENANCE_OVERWRITE');
  evaluation.refuseOverwrite = rule === 'Reject';
  // Monitor never acts: the overwrite is reported, not undone.
  if (rule === 'Keep' && input.policy.mode !== 'Monitor') {
    evaluation.kept = overwritten;
    const restored: ProvenanceValues = { ...input.record };
    for (const key of overwritten) restored[key] = previous[key];
    evaluation.record = restored;
  }
}

/** Confidence reasons; returns whether the confidence is high (the record counts as synthetic). */
function addConfidenceReasons(
  input: PolicyInput,
  signals: PolicySignals,
  evaluation: Evaluation
): boolean {
  const { policy } = input;
  const confidence =
    signals.detectorConfidence ?? evaluation.record.Synthetic_Confidence__c ?? null;
  if (confidence === null) return false;
  if (!(Number.isFinite(confidence) && confidence >= 0 && confidence <= 100)) {
    evaluation.reasons.add('INVALID_CONFIDENCE');
    return false;
  }
  const high = policy.quarantineThreshold !== null && confidence >= policy.quarantineThreshold;
  if (high) evaluation.reasons.add('HIGH_CONFIDENCE');
  else if (policy.reviewThreshold !== null && confidence >= policy.reviewThreshold)
    evaluation.reasons.add('REVIEW_CONFIDENCE');
  return high;
}

/** Disclosure and media reasons; returns whether anything declares the content AI-made. */
function addDisclosureReasons(signals: PolicySignals, evaluation: Evaluation): boolean {
  const { record, reasons } = evaluation;
  const method = blankToNull(record.Generation_Method__c);
  const declaredAi =
    blankToNull(record.AI_Model__c) !== null ||
    (method !== null && AI_GENERATION_METHODS.has(method)) ||
    signals.aiDisclosed === true ||
    signals.mediaAiMarker === true;
  if (!evaluation.claimsSynthetic && declaredAi) reasons.add('UNDISCLOSED_AI_SIGNAL');
  if (signals.disclosureConflict === true || contradictsDeclared(record, signals.declared))
    reasons.add('DISCLOSURE_CONFLICT');
  if (signals.mediaAiMarker === true) reasons.add('MEDIA_AI_MARKER');
  if (signals.mediaProvenanceStripped === true) reasons.add('MEDIA_PROVENANCE_STRIPPED');
  if (signals.mediaUnreadable === true) reasons.add('UNREADABLE_MEDIA_PROVENANCE');
  return declaredAi;
}

/** What a synthetic record must carry: required fields, trusted origin, sane dates, volume. */
function addProvenanceReasons(input: PolicyInput, evaluation: Evaluation): void {
  const { policy, context, registry } = input;
  const { record, reasons } = evaluation;
  for (const field of policy.requiredFields) {
    const reason = MISSING_FIELD_REASONS[field];
    if (reason && blankToNull(record[field as keyof ProvenanceValues]) === null)
      reasons.add(reason);
  }
  const model = blankToNull(record.AI_Model__c);
  if (model !== null && registry.verdict(model, 'Model', context.now) !== 'trusted')
    reasons.add('UNTRUSTED_MODEL');
  if (registry.verdict(record.Provenance_Source__c, 'Source', context.now) === 'untrusted')
    reasons.add('UNTRUSTED_SOURCE');
  const generatedAt = blankToNull(record.Generated_At__c);
  if (
    generatedAt !== null &&
    Date.parse(generatedAt) > Date.parse(context.now) + FUTURE_TOLERANCE_MS
  )
    reasons.add('FUTURE_GENERATED_AT');
  if (input.previous) return;
  // The volume guards count creations only: an update creates nothing.
  const perTransaction = policy.maxSyntheticPerTransaction;
  if (perTransaction !== null && context.syntheticSeenBefore >= perTransaction)
    reasons.add('BULK_INJECTION_LIMIT');
  const hourly = policy.maxSyntheticPerSourcePerHour ?? null;
  if (
    hourly !== null &&
    blankToNull(record.Provenance_Source__c) !== null &&
    (context.sourceSyntheticThisHour ?? 0) >= hourly
  )
    reasons.add('BULK_INJECTION_LIMIT');
}

import type { Decision, EnforcementMode, SyntheticStatus } from '../provenance-model/schema';
import { blankToNull, Evaluation } from './policy-evaluation';
import type { PolicyDecision, PolicyInput } from './provenance-policy';
import { hasSignals, provenanceChanged } from './provenance-values';
import { BLOCKING_REASONS, canonicalReasons, ReasonCode, REASON_CODES } from './reason-codes';

/**
 * The policy as a state machine: stored status + stored reasons + this save → new status +
 * reasons. docs/policy.md holds the transition table; the shared vectors hold both engines to it.
 * Only a reviewer's action (or a service undo, which never reaches the engine) lowers a status;
 * anything else can only raise it or add reasons.
 */

/** Statuses only a reviewer sets; they stick while provenance and evidence do not change. */
const REVIEWED_STATUSES: ReadonlySet<string> = new Set(['Authentic', 'Released', 'Rejected']);
/** Statuses a non-reviewer may not put on a synthetic record at insert. */
const CLEARED_STATUSES: ReadonlySet<string> = new Set(['Authentic', 'Released']);

/**
 * Reasons a later save cannot see again, so they are carried from the stored reasons until a
 * reviewer acts: insert-only (the volume guards), evidence-only (detector, headers, media) and
 * the services' (recall, retention).
 */
export const STICKY_REASONS: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  'HIGH_CONFIDENCE',
  'UNDISCLOSED_AI_SIGNAL',
  'DISCLOSURE_CONFLICT',
  'MEDIA_AI_MARKER',
  'MEDIA_PROVENANCE_STRIPPED',
  'UNREADABLE_MEDIA_PROVENANCE',
  'BULK_INJECTION_LIMIT',
  'RECALLED',
  'RETENTION_EXPIRED',
  'CONVERTED_FROM_SYNTHETIC',
  'MERGED_WITH_SYNTHETIC'
]);

/** What Synthetic_Reasons__c holds: 255 characters. */
export const STORED_REASONS_LENGTH = 255;

/**
 * A decision's reasons as Synthetic_Reasons__c stores them: semicolon-separated, whole codes only.
 * When they do not fit in 255 characters, codes a later save recomputes from the record are
 * dropped first (from the end), sticky ones (which no later save can see again) last. Twin of
 * Apex `PolicyTransition.storedReasonText`; the shared vectors (`reasonTexts`) hold both to it.
 */
export function storedReasonText(reasons: readonly string[]): string | null {
  const kept = [...reasons];
  const sticky = (code: string) => STICKY_REASONS.has(code as ReasonCode);
  for (const dropSticky of [false, true])
    for (let i = kept.length - 1; i >= 0 && kept.join(';').length > STORED_REASONS_LENGTH; i--)
      if (dropSticky || !sticky(kept[i]!)) kept.splice(i, 1);
  return kept.length === 0 ? null : kept.join(';');
}

/** Severity: a save by anyone but a reviewer never moves a record to a lower rank. */
const STATUS_RANK: Readonly<Record<string, number>> = {
  Unreviewed: 1,
  Disclosed: 1,
  Authentic: 1,
  Released: 1,
  Flagged: 2,
  Quarantined: 3,
  Rejected: 4
};

/** The rank of a status; blank (an authentic record never classified) is 0. */
export function statusRank(status: string | null): number {
  return status === null ? 0 : (STATUS_RANK[status] ?? 0);
}

let knownReasons: Set<string> | undefined;

/** The sticky codes among stored reasons (Synthetic_Reasons__c). */
export function stickyReasons(stored: string | null | undefined): ReasonCode[] {
  // Built once (lazily: no import-order assumption), not per record.
  const known = (knownReasons ??= new Set<string>(REASON_CODES));
  if (!stored) return [];
  return stored
    .split(';')
    .map((code) => code.trim())
    .filter(
      (code): code is ReasonCode => known.has(code) && STICKY_REASONS.has(code as ReasonCode)
    );
}

/** Decides one record from its evaluation and its stored state. */
export function transition(input: PolicyInput, evaluation: Evaluation): PolicyDecision {
  const previous = input.previous ?? null;
  if (previous === null) return insertTransition(input, evaluation);
  const reasons = new Set<ReasonCode>([
    ...evaluation.reasons,
    ...stickyReasons(previous.Synthetic_Reasons__c)
  ]);
  const serviceReason = input.context.serviceReason ?? null;
  if (serviceReason !== null)
    return serviceTransition(input, evaluation, new Set([...reasons, serviceReason]));
  const stored = blankToNull(previous.Synthetic_Status__c);
  const asked =
    evaluation.statusIn !== stored ||
    (previous.Synthetic_Data__c === true && !evaluation.claimsSynthetic);
  if (asked && input.context.canReview) return reviewerAction(evaluation);
  if (asked) {
    reasons.add('STATUS_CHANGE_NOT_ALLOWED');
    return fresh(input.policy.mode, evaluation, reasons);
  }
  return editTransition(input, evaluation, reasons, stored);
}

/** Insert: nothing is stored, so this save decides alone. */
function insertTransition(input: PolicyInput, evaluation: Evaluation): PolicyDecision {
  const { statusIn } = evaluation;
  if (input.context.canReview && statusIn !== null && REVIEWED_STATUSES.has(statusIn))
    return reviewerAction(evaluation);
  const reasons = new Set(evaluation.reasons);
  if (
    !input.context.canReview &&
    evaluation.synthetic &&
    statusIn !== null &&
    CLEARED_STATUSES.has(statusIn)
  )
    reasons.add('STATUS_CHANGE_NOT_ALLOWED');
  return fresh(input.policy.mode, evaluation, reasons);
}

/** A reviewer's own decision is what the record says; it clears the carried reasons. */
function reviewerAction(evaluation: Evaluation): PolicyDecision {
  return {
    decision: 'ACCEPT',
    status: evaluation.statusIn as SyntheticStatus | null,
    synthetic: evaluation.claimsSynthetic,
    reasons: canonicalReasons(evaluation.reasons)
  };
}

/**
 * A save that asks for no status: this save's verdict, but never below the stored status. A
 * reviewed status sticks until provenance or evidence changes (Rejected sticks for good).
 */
function editTransition(
  input: PolicyInput,
  evaluation: Evaluation,
  reasons: Set<ReasonCode>,
  stored: string | null
): PolicyDecision {
  const { mode } = input.policy;
  if (mode === 'Monitor' || evaluation.refuseOverwrite) return fresh(mode, evaluation, reasons);
  if (stored !== null && REVIEWED_STATUSES.has(stored) && !reopens(input, evaluation, stored)) {
    return withKept(evaluation, {
      decision: 'ACCEPT',
      status: stored as SyntheticStatus,
      synthetic: evaluation.claimsSynthetic,
      reasons: canonicalReasons(reasons)
    });
  }
  const verdict = fresh(mode, evaluation, reasons);
  if (verdict.decision === 'REJECT' || statusRank(stored) < statusRank(verdict.status))
    return verdict;
  return { ...verdict, decision: decisionOf(stored), status: stored as SyntheticStatus | null };
}

/** Recall or retention: the service's status raises the stored one and its reason is added. */
function serviceTransition(
  input: PolicyInput,
  evaluation: Evaluation,
  reasons: Set<ReasonCode>
): PolicyDecision {
  const stored = blankToNull(input.previous?.Synthetic_Status__c);
  const status =
    statusRank(evaluation.statusIn) > statusRank(stored) ? evaluation.statusIn : stored;
  return {
    decision: decisionOf(status),
    status: status as SyntheticStatus | null,
    synthetic: evaluation.synthetic,
    reasons: canonicalReasons(reasons)
  };
}

function reopens(input: PolicyInput, evaluation: Evaluation, stored: string): boolean {
  if (stored === 'Rejected' || !input.previous) return false;
  return provenanceChanged(input.previous, evaluation.record) || hasSignals(input.signals ?? {});
}

/** What this save alone decides (insert, a refused status change, or an edit weighed afresh). */
function fresh(
  mode: EnforcementMode,
  evaluation: Evaluation,
  reasons: ReadonlySet<ReasonCode>
): PolicyDecision {
  // Carried reasons weigh through the stored status; only this save's own reasons decide here.
  const refused = evaluation.refuseOverwrite || reasons.has('STATUS_CHANGE_NOT_ALLOWED');
  const decision = decisionFor(mode, evaluation.reasons, refused);
  return withKept(evaluation, {
    decision,
    status: statusFor(mode, decision, evaluation.synthetic, evaluation.statusIn),
    synthetic: evaluation.synthetic,
    reasons: canonicalReasons(reasons)
  });
}

function withKept(evaluation: Evaluation, decision: PolicyDecision): PolicyDecision {
  return evaluation.kept.length > 0 ? { ...decision, kept: evaluation.kept } : decision;
}

/** The decision that goes with a status the record keeps. */
function decisionOf(status: string | null): Decision {
  if (status === 'Quarantined') return 'QUARANTINE';
  if (status === 'Flagged') return 'FLAG';
  return 'ACCEPT';
}

function decisionFor(
  mode: EnforcementMode,
  reasons: ReadonlySet<ReasonCode>,
  refused: boolean
): Decision {
  if (mode === 'Monitor') return 'ACCEPT';
  if (refused) return 'REJECT';
  const blocking = [...reasons].some((reason) => BLOCKING_REASONS.has(reason));
  if (mode === 'Reject' && blocking) return 'REJECT';
  if (reasons.has('BULK_INJECTION_LIMIT') || (mode !== 'Flag' && blocking)) return 'QUARANTINE';
  if (blocking || reasons.has('REVIEW_CONFIDENCE')) return 'FLAG';
  return 'ACCEPT';
}

function statusFor(
  mode: EnforcementMode,
  decision: Decision,
  synthetic: boolean,
  statusIn: string | null
): SyntheticStatus | null {
  if (mode === 'Monitor') {
    // Monitor never acts; a synthetic record without a status is marked for visibility only.
    return (statusIn as SyntheticStatus | null) ?? (synthetic ? 'Unreviewed' : null);
  }
  switch (decision) {
    case 'REJECT':
      return 'Rejected';
    case 'QUARANTINE':
      return 'Quarantined';
    case 'FLAG':
      return 'Flagged';
    default:
      return synthetic ? 'Disclosed' : null;
  }
}

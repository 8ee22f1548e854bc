/**
 * Reason codes of a policy decision, in the canonical order both engines (Apex `ProvenancePolicy`
 * and this module) emit them. The order is part of the contract: the shared vectors compare lists.
 */
export const REASON_CODES = [
  'MISSING_MODEL',
  'MISSING_GENERATED_AT',
  'MISSING_GENERATION_METHOD',
  'MISSING_SOURCE',
  'MISSING_CONFIDENCE',
  'MISSING_HASH',
  'FUTURE_GENERATED_AT',
  'UNTRUSTED_MODEL',
  'UNTRUSTED_SOURCE',
  'INVALID_CONFIDENCE',
  'HIGH_CONFIDENCE',
  'REVIEW_CONFIDENCE',
  'UNDISCLOSED_AI_SIGNAL',
  'DISCLOSURE_CONFLICT',
  'MEDIA_AI_MARKER',
  'MEDIA_PROVENANCE_STRIPPED',
  'UNREADABLE_MEDIA_PROVENANCE',
  'BULK_INJECTION_LIMIT',
  'STATUS_CHANGE_NOT_ALLOWED',
  'PROVENANCE_OVERWRITE',
  'RECALLED',
  'RETENTION_EXPIRED',
  'CONVERTED_FROM_SYNTHETIC',
  'MERGED_WITH_SYNTHETIC'
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** The reason a missing required provenance field produces. */
export const MISSING_FIELD_REASONS: Readonly<Record<string, ReasonCode>> = {
  AI_Model__c: 'MISSING_MODEL',
  Generated_At__c: 'MISSING_GENERATED_AT',
  Generation_Method__c: 'MISSING_GENERATION_METHOD',
  Provenance_Source__c: 'MISSING_SOURCE',
  Synthetic_Confidence__c: 'MISSING_CONFIDENCE',
  Provenance_Hash__c: 'MISSING_HASH'
};

/**
 * Reasons that break policy: the enforcement mode decides what happens to the record. The others
 * have fixed effects: review confidence only flags, the bulk guard quarantines, an unauthorised
 * status change is rejected, a provenance overwrite keeps the stored values (or is rejected, as
 * the policy says), and recall and retention are set by those services, never by a decision.
 */
export const BLOCKING_REASONS: ReadonlySet<ReasonCode> = new Set<ReasonCode>(
  REASON_CODES.filter(
    (code) =>
      ![
        'REVIEW_CONFIDENCE',
        'BULK_INJECTION_LIMIT',
        'STATUS_CHANGE_NOT_ALLOWED',
        'PROVENANCE_OVERWRITE',
        'RECALLED',
        'RETENTION_EXPIRED',
        'CONVERTED_FROM_SYNTHETIC',
        'MERGED_WITH_SYNTHETIC'
      ].includes(code)
  )
);

/** Sorts reasons into canonical order and removes duplicates. */
export function canonicalReasons(reasons: Iterable<ReasonCode>): ReasonCode[] {
  const present = new Set(reasons);
  return REASON_CODES.filter((code) => present.has(code));
}

/**
 * Adds reasons to those a record stores (`Synthetic_Reasons__c`, semicolon-separated): canonical
 * order, no duplicates, codes this version does not know kept at the end. The field holds 255
 * characters: when the codes do not fit, stored codes are dropped from the end (never an added
 * one, never half a code). What the recall and retention services stamp; Apex
 * `ProvenancePolicy.mergeReasons` is its twin.
 */
export function mergeReasons(
  stored: string | null | undefined,
  added: readonly ReasonCode[]
): string {
  const codes = (stored ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter(Boolean);
  const known = new Set<string>(REASON_CODES);
  const present = new Set<string>([...codes, ...added]);
  const merged: string[] = [
    ...REASON_CODES.filter((code) => present.has(code)),
    ...[...new Set(codes)].filter((code) => !known.has(code))
  ];
  const mustKeep = new Set<string>(added);
  for (let i = merged.length - 1; i >= 0 && merged.join(';').length > 255; i--)
    if (!mustKeep.has(merged[i]!)) merged.splice(i, 1);
  return merged.join(';');
}

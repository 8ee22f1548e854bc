/** One entry of the trusted model/source registry (`Trusted_AI_Source__mdt`). */
export interface TrustedSource {
  pattern: string;
  matchType: 'Exact' | 'Prefix';
  appliesTo: 'Model' | 'Source';
  trusted: boolean;
}

/** What the registry says about a model or source. */
export type TrustVerdict = 'trusted' | 'untrusted' | 'unknown';

/**
 * Matches models and sources against the registry, case-insensitively and ignoring surrounding
 * white space. The most specific entry wins: an exact match over any prefix, a longer prefix
 * over a shorter one; at equal specificity an untrusted entry wins (blocking is the safe side).
 */
export class TrustedSourceRegistry {
  constructor(private readonly entries: readonly TrustedSource[]) {}

  /** Verdict for a value of `AI_Model__c` (appliesTo Model) or `Provenance_Source__c` (Source). */
  verdict(value: string | null | undefined, appliesTo: TrustedSource['appliesTo']): TrustVerdict {
    const needle = (value ?? '').trim().toLowerCase();
    if (needle === '') return 'unknown';
    let best: { score: number; trusted: boolean } | undefined;
    for (const entry of this.entries) {
      if (entry.appliesTo !== appliesTo) continue;
      const pattern = entry.pattern.trim().toLowerCase();
      if (pattern === '') continue;
      const exact = needle === pattern;
      const matches = entry.matchType === 'Exact' ? exact : needle.startsWith(pattern);
      if (!matches) continue;
      // Exact matches outrank every prefix; longer prefixes outrank shorter ones.
      const score = (exact && entry.matchType === 'Exact' ? 100000 : 0) + pattern.length;
      if (!best || score > best.score || (score === best.score && !entry.trusted)) {
        best = { score, trusted: entry.trusted };
      }
    }
    if (!best) return 'unknown';
    return best.trusted ? 'trusted' : 'untrusted';
  }
}

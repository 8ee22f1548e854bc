/** One entry of the trusted model/source registry (`Trusted_AI_Source__mdt`). */
export interface TrustedSource {
  pattern: string;
  matchType: 'Exact' | 'Prefix';
  appliesTo: 'Model' | 'Source';
  trusted: boolean;
  /**
   * `Expires_On__c` (YYYY-MM-DD): from this UTC date a trusted entry counts as untrusted, until
   * an approved AI source request deploys it again. Absent or null: never expires.
   */
  expiresOn?: string | null;
}

/** Whether an entry is trusted at a time (an ISO timestamp): trusted and not expired. */
export function trustedAt(entry: TrustedSource, now: string | undefined): boolean {
  if (!entry.trusted) return false;
  if (!entry.expiresOn || now === undefined) return true;
  const time = Date.parse(now);
  // A time that cannot be read cannot show the entry is still in force: fail closed.
  if (Number.isNaN(time)) return false;
  return new Date(time).toISOString().slice(0, 10) < entry.expiresOn;
}

/**
 * How an entry ranks against another of equal specificity: an explicit block (2) over an approval
 * in force (1) over an expired approval (0). A renewal deploys a new record beside the expired
 * one (Apex cannot delete custom metadata), so the one in force must win over the expired one.
 */
export function rankAt(entry: TrustedSource, now: string | undefined): number {
  if (!entry.trusted) return 2;
  return trustedAt(entry, now) ? 1 : 0;
}

/** What the registry says about a model or source. */
export type TrustVerdict = 'trusted' | 'untrusted' | 'unknown';

/**
 * Matches models and sources against the registry, case-insensitively and ignoring surrounding
 * white space. The most specific entry wins: an exact match over any prefix, a longer prefix
 * over a shorter one; at equal specificity an explicitly untrusted entry wins (blocking is the safe
 * side), then one in force, then an expired one ({@link rankAt}). An expired trusted entry counts
 * as untrusted (as `TrustedSourceRegistry.cls`).
 */
export class TrustedSourceRegistry {
  // Normalised once: an audit asks for a verdict on every record.
  private readonly patterns: string[];

  constructor(private readonly entries: readonly TrustedSource[]) {
    this.patterns = entries.map((entry) => entry.pattern.trim().toLowerCase());
  }

  /**
   * Verdict for a value of `AI_Model__c` (appliesTo Model) or `Provenance_Source__c` (Source) at
   * `now` (an ISO timestamp, default the current time).
   */
  verdict(
    value: string | null | undefined,
    appliesTo: TrustedSource['appliesTo'],
    now: string = new Date().toISOString()
  ): TrustVerdict {
    const needle = (value ?? '').trim().toLowerCase();
    if (needle === '') return 'unknown';
    let best: { score: number; rank: number } | undefined;
    for (let i = 0; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (entry.appliesTo !== appliesTo) continue;
      const pattern = this.patterns[i]!;
      if (pattern === '') continue;
      const exact = needle === pattern;
      const matches = entry.matchType === 'Exact' ? exact : needle.startsWith(pattern);
      if (!matches) continue;
      // Exact matches outrank every prefix; longer prefixes outrank shorter ones.
      const score = (exact && entry.matchType === 'Exact' ? 100000 : 0) + pattern.length;
      const rank = rankAt(entry, now);
      if (!best || score > best.score || (score === best.score && rank > best.rank)) {
        best = { score, rank };
      }
    }
    if (!best) return 'unknown';
    return best.rank === 1 ? 'trusted' : 'untrusted';
  }
}

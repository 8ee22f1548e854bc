import { mergeReasons, REASON_CODES } from './reason-codes';
import { retentionOutcome } from './retention-policy';
import { decide, PolicyInput } from './provenance-policy';
import { statusRank, stickyReasons, storedReasonText } from './policy-transition';
import { loadPolicyVectors } from './policy-vectors';
import { TrustedSourceRegistry } from './trusted-source-registry';
import { ENFORCEMENT_MODES } from '../provenance-model/schema';

const file = loadPolicyVectors();
const registry = new TrustedSourceRegistry(file.defaults.trustedSources);

function inputOf(vector: (typeof file.vectors)[number]): PolicyInput {
  return {
    policy: { ...file.defaults.policy, ...vector.policy },
    record: vector.record,
    previous: vector.previous ?? null,
    signals: vector.signals,
    context: { ...file.defaults.context, ...vector.context },
    registry
  };
}

describe('ProvenancePolicy shared vectors', () => {
  it.each(file.vectors.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    expect(decide(inputOf(vector))).toEqual(vector.expected);
  });

  it('has at least 60 uniquely named vectors covering every mode and reason code', () => {
    expect(file.vectors.length).toBeGreaterThanOrEqual(60);
    expect(new Set(file.vectors.map((v) => v.name)).size).toBe(file.vectors.length);
    const modes = new Set(file.vectors.map((v) => v.policy?.mode ?? file.defaults.policy.mode));
    expect([...modes].sort()).toEqual([...ENFORCEMENT_MODES].sort());
    const reasons = new Set<string>(file.vectors.flatMap((v) => v.expected.reasons));
    // Recall and retention reasons are stamped by those services, through mergeReasons.
    for (const merge of file.reasonMerges) for (const code of merge.added) reasons.add(code);
    expect([...reasons].sort()).toEqual([...REASON_CODES].sort());
  });
});

describe('transition table (docs/policy.md)', () => {
  const STORED = [
    'blank',
    'disclosed',
    'flagged',
    'quarantined_bulk',
    'quarantined_retention',
    'released',
    'authentic',
    'rejected'
  ];
  const CHANGES = [
    'user_noop',
    'user_content_edit',
    'user_provenance_edit',
    'user_status_change',
    'new_evidence',
    'unreadable_evidence',
    'reviewer_noop',
    'reviewer_release',
    'reviewer_confirm',
    'reviewer_reject',
    'recall',
    'retention'
  ];
  const names = new Set(file.vectors.map((v) => v.name));

  it('has a vector for every stored status × actor × change cell', () => {
    const missing = STORED.flatMap((s) => CHANGES.map((c) => `table_${s}_${c}`)).filter(
      (name) => !names.has(name)
    );
    expect(missing).toEqual([]);
  });

  it('never lowers a status without a reviewer', () => {
    for (const vector of file.vectors.filter((v) => v.previous && !v.context?.canReview)) {
      if (vector.expected.decision === 'REJECT') continue;
      const before = statusRank(vector.previous?.Synthetic_Status__c ?? null);
      expect([vector.name, statusRank(vector.expected.status) >= before]).toEqual([
        vector.name,
        true
      ]);
    }
  });

  it('carries only known sticky codes from stored reasons', () => {
    expect(stickyReasons(' RECALLED ;MISSING_MODEL;FUTURE_CODE;MEDIA_AI_MARKER')).toEqual([
      'RECALLED',
      'MEDIA_AI_MARKER'
    ]);
    expect(stickyReasons(null)).toEqual([]);
    expect(statusRank('SomethingElse')).toBe(0);
  });
});

describe('retention shared vectors', () => {
  it.each(file.retention.map((vector) => [vector.name, vector] as const))('%s', (_n, vector) => {
    expect(retentionOutcome(vector.policy, vector.record, vector.now)).toBe(vector.expected);
  });

  it('covers every outcome', () => {
    expect(new Set(file.retention.map((v) => v.expected))).toEqual(
      new Set([null, 'QUARANTINE', 'DELETE'])
    );
  });
});

describe('reason merge shared vectors', () => {
  it.each(file.reasonMerges.map((vector) => [vector.name, vector] as const))('%s', (_n, vector) => {
    const merged = mergeReasons(vector.stored, vector.added);
    expect(merged).toBe(vector.expected);
    expect(merged.length).toBeLessThanOrEqual(255);
  });
});

describe('stored reason text shared vectors', () => {
  it.each(file.reasonTexts.map((vector) => [vector.name, vector] as const))('%s', (_n, vector) => {
    const text = storedReasonText(vector.reasons);
    expect(text).toBe(vector.expected);
    expect((text ?? '').length).toBeLessThanOrEqual(255);
    for (const code of (text ?? '').split(';').filter(Boolean))
      expect(vector.reasons).toContain(code);
  });
});

describe('decide', () => {
  const base = inputOf(file.vectors[0]!);

  it('treats a non-finite confidence as invalid', () => {
    const result = decide({
      ...base,
      policy: { ...base.policy, mode: 'Quarantine' },
      record: { Synthetic_Confidence__c: Number.NaN }
    });
    expect(result.reasons).toEqual(['INVALID_CONFIDENCE']);
  });

  it('treats missing fields like nulls', () => {
    expect(decide({ ...base, policy: { ...base.policy, mode: 'Flag' }, record: {} })).toEqual({
      decision: 'ACCEPT',
      status: null,
      synthetic: false,
      reasons: []
    });
  });
});

describe('TrustedSourceRegistry', () => {
  it('says unknown for blank values and ignores blank patterns', () => {
    const blankPattern = new TrustedSourceRegistry([
      { pattern: '  ', matchType: 'Prefix', appliesTo: 'Model', trusted: false }
    ]);
    expect(blankPattern.verdict('anything', 'Model')).toBe('unknown');
    expect(registry.verdict('   ', 'Model')).toBe('unknown');
    expect(registry.verdict(null, 'Source')).toBe('unknown');
  });

  it('lets an untrusted entry win a tie', () => {
    const tie = new TrustedSourceRegistry([
      { pattern: 'vendor/', matchType: 'Prefix', appliesTo: 'Source', trusted: true },
      { pattern: 'VENDOR/', matchType: 'Prefix', appliesTo: 'Source', trusted: false }
    ]);
    expect(tie.verdict('vendor/x', 'Source')).toBe('untrusted');
  });
});

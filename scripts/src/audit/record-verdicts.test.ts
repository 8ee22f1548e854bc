import type { ObjectPolicy } from '../policy/package-policy';
import { decide, ProvenanceValues } from '../policy/provenance-policy';
import { loadPolicyVectors } from '../policy/policy-vectors';
import { TrustedSourceRegistry } from '../policy/trusted-source-registry';
import type { ExportRow } from './record-reader';
import { provenanceValues, RecordVerdicts } from './record-verdicts';

const file = loadPolicyVectors();
const now = file.defaults.context.now;
const registry = new TrustedSourceRegistry(file.defaults.trustedSources);

/** A record as an export writes it: text, a blank for null. */
function rowOf(values: ProvenanceValues, id: string): ExportRow {
  const fields: Record<string, string> = { Id: id };
  for (const [name, value] of Object.entries(values))
    fields[name] = value === null || value === undefined ? '' : String(value);
  return { fields, where: `test:${id}` };
}

/** What the controls conclude from one record with nothing cached. */
function uncached(row: ExportRow, policy: ObjectPolicy) {
  const verdicts = new RecordVerdicts(registry, now, 0);
  const verdict = verdicts.of('Lead', row, policy);
  return {
    ...verdict,
    unapproved: [...verdicts.unapproved(verdict)],
    decided: verdicts.decided(verdict, policy)
  };
}

/** The same record with the values the key keeps only a property of changed within it. */
function variants(values: ProvenanceValues): ProvenanceValues[] {
  const out = [values];
  for (const hash of ['hash-1', 'hash-2', '', '  '])
    out.push({ ...values, Provenance_Hash__c: hash });
  out.push({ ...values, Generated_At__c: '  ' }, { ...values, Generated_At__c: 'not a date' });
  const generated = Date.parse(values.Generated_At__c ?? '');
  if (!Number.isNaN(generated))
    for (const shift of [-86_400_000, -1000, 1000, 86_400_000])
      out.push({ ...values, Generated_At__c: new Date(generated + shift).toISOString() });
  return out;
}

describe('RecordVerdicts (one verdict per distinct key)', () => {
  // Each vector's policy, and the same requiring the hash as well (SDG-01 and MISSING_HASH).
  const cases = file.vectors.flatMap((vector) =>
    [false, true].flatMap((requireHash) => {
      const base = { ...file.defaults.policy, ...vector.policy };
      const policy: ObjectPolicy = {
        ...base,
        requiredFields: requireHash
          ? [...base.requiredFields, 'Provenance_Hash__c']
          : base.requiredFields,
        allowSync: vector.name.length % 2 === 0,
        syntheticRetentionDays: null,
        rejectedRetentionDays: null,
        protectFromDelete: false
      };
      return variants(vector.record).map((values, i) => ({
        name: `${vector.name}#${requireHash ? 'hash' : ''}${i}`,
        policy,
        values
      }));
    })
  );

  it('gives every shared policy vector record (and its variants) the verdict worked out alone', () => {
    // One cache across all: records of one policy share verdicts, as an export's do.
    const byMode = new Map<string, RecordVerdicts>();
    for (const { name, policy, values } of cases) {
      const key = JSON.stringify(policy);
      const verdicts = byMode.get(key) ?? new RecordVerdicts(registry, now);
      byMode.set(key, verdicts);
      const row = rowOf(values, name);
      const verdict = verdicts.of('Lead', row, policy);
      const got = {
        ...verdict,
        values: provenanceValues(row),
        unapproved: [...verdicts.unapproved(verdict)],
        decided: verdicts.decided(verdict, policy)
      };
      expect({ name, ...got }).toEqual({ name, ...uncached(row, policy) });
    }
  });

  it('decides as the policy engine does with the stored values as both saves', () => {
    for (const { name, policy, values } of cases) {
      const row = rowOf(values, name);
      const stored = provenanceValues(row);
      const engine = decide({
        policy,
        record: stored,
        previous: stored,
        context: { now, canReview: false, syntheticSeenBefore: 0 },
        registry
      });
      expect({ name, decided: uncached(row, policy).decided }).toEqual({
        name,
        decided: engine.status ?? '(blank)'
      });
    }
  });

  it('keeps apart records whose values would make the same key around a separator', () => {
    const policy = { ...file.defaults.policy, allowSync: false } as ObjectPolicy;
    const verdicts = new RecordVerdicts(registry, now);
    const first = rowOf(
      { Synthetic_Data__c: true, AI_Model__c: 'openai/gpt-4o\u001fx', Generation_Method__c: '' },
      'a'
    );
    const second = rowOf(
      { Synthetic_Data__c: true, AI_Model__c: 'openai/gpt-4o', Generation_Method__c: 'x' },
      'b'
    );
    verdicts.of('Lead', first, policy);
    expect(verdicts.of('Lead', second, policy).values.AI_Model__c).toBe('openai/gpt-4o');
  });

  it('works each record out alone past its bound (no growth)', () => {
    const policy = { ...file.defaults.policy, allowSync: false } as ObjectPolicy;
    const verdicts = new RecordVerdicts(registry, now, 1);
    const a = rowOf({ Synthetic_Data__c: true, AI_Model__c: 'm1' }, 'a');
    const b = rowOf({ Synthetic_Data__c: true, AI_Model__c: 'm2' }, 'b');
    expect(verdicts.of('Lead', a, policy)).toBe(verdicts.of('Lead', a, policy));
    expect(verdicts.of('Lead', b, policy)).not.toBe(verdicts.of('Lead', b, policy));
    expect(verdicts.of('Lead', b, policy).untrustedModel).toBe('m2');
  });
});

import { loadAuditChainVectors } from './audit-chain-vectors';
import { canonicalEncoding, eventHash, GENESIS_HASH } from './canonical';
import { toEvent } from './export-reader';

const vectors = loadAuditChainVectors();

describe('canonical encoding (shared vectors)', () => {
  it('starts from the genesis hash', () => {
    expect(vectors.genesisHash).toBe(GENESIS_HASH);
  });

  it.each(vectors.events.map((e) => [e.Sequence__c, e] as const))(
    'event %s encodes and hashes as the org does',
    (_seq, raw) => {
      const event = toEvent(raw, 'vectors');
      expect(canonicalEncoding(event)).toBe(raw.canonical);
      expect(eventHash(event)).toBe(raw.Hash__c);
    }
  );

  it('counts UTF-8 bytes, not characters, in length prefixes', () => {
    const unicode = vectors.events.find((e) => String(e.Payload__c).includes('✓'));
    expect(unicode?.canonical).toMatch(/\n\d+:\{"provenanceSource":"Réseau/);
    const payload = String(unicode?.Payload__c);
    expect(unicode?.canonical).toContain(`${Buffer.byteLength(payload)}:${payload}\n`);
    expect(Buffer.byteLength(payload)).toBeGreaterThan(payload.length);
  });
});

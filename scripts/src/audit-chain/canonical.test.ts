import { loadAuditChainVectors } from './audit-chain-vectors';
import {
  canonicalEncoding,
  eventHash,
  GENESIS_HASH,
  isCanonicalInstant,
  occurredAtToSecond
} from './canonical';
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

  it.each(vectors.events.map((e) => [e.Sequence__c, e] as const))(
    'event %s hashes the same from the Datetime.now() value with milliseconds it was built from',
    (_seq, raw) => {
      const before = String(raw.occurredAtBeforeSave);
      expect(before).toMatch(/\.\d{2}[1-9]Z$/);
      const event = toEvent({ ...raw, Occurred_At__c: before }, 'vectors');
      expect(canonicalEncoding(event)).toBe(raw.canonical);
      expect(eventHash(event)).toBe(raw.Hash__c);
    }
  );

  it('reads the stored forms the org exports: REST (+0000) and Bulk API (Z), both whole seconds', () => {
    const forms = vectors.events.map((e) => String(e.Occurred_At__c));
    expect(forms.some((f) => f.endsWith('.000+0000'))).toBe(true);
    expect(forms.some((f) => f.endsWith('.000Z'))).toBe(true);
    expect(occurredAtToSecond('2026-11-20T01:10:00.000+0000')).toBe('2026-11-20T01:10:00.000Z');
    expect(occurredAtToSecond('2026-11-20T01:10:00Z')).toBe('2026-11-20T01:10:00.000Z');
    expect(occurredAtToSecond('2026-11-20T01:10:00.999Z')).toBe('2026-11-20T01:10:00.000Z');
    expect(occurredAtToSecond('1969-12-31T23:59:59.500Z')).toBe('1969-12-31T23:59:59.000Z');
    expect(occurredAtToSecond('')).toBe('');
    expect(occurredAtToSecond('not a date')).toBe('not a date');
  });

  it('counts UTF-8 bytes, not characters, in length prefixes', () => {
    const unicode = vectors.events.find((e) => String(e.Payload__c).includes('✓'));
    expect(unicode?.canonical).toMatch(/\n\d+:\{"provenanceSource":"Réseau/);
    const payload = String(unicode?.Payload__c);
    expect(unicode?.canonical).toContain(`${Buffer.byteLength(payload)}:${payload}\n`);
    expect(Buffer.byteLength(payload)).toBeGreaterThan(payload.length);
  });
});

describe('the canonical-time fast path gives what parsing gives', () => {
  // The reference: parse, floor to the second, print (what occurredAtToSecond did for every value).
  const parsed = (value: string) => {
    const millis = Date.parse(value);
    if (value === '' || Number.isNaN(millis)) return value;
    return new Date(millis - (((millis % 1000) + 1000) % 1000)).toISOString();
  };
  const values = [
    '2026-06-01T10:01:00.000Z',
    '2026-06-01T10:01:00.999Z',
    '2024-02-29T23:59:59.500Z',
    '2026-02-29T00:00:00.000Z',
    '2026-02-30T00:00:00.000Z',
    '2026-04-31T10:00:00.000Z',
    '1900-02-29T00:00:00.000Z',
    '2000-02-29T00:00:00.000Z',
    '2026-06-01T24:00:00.000Z',
    '2026-06-01T23:60:00.000Z',
    '2026-13-01T00:00:00.000Z',
    '2026-00-10T00:00:00.000Z',
    '1969-12-31T23:59:59.500Z',
    '0000-01-01T00:00:00.001Z',
    '2026-11-20T01:10:00.000+0000',
    '2026-06-01T10:01:00Z',
    '2026-06-01 10:01:00.000Z',
    '2026-06-01T10:01:00.0a0Z',
    'not a date at all, 24 ch',
    ''
  ];
  it('answers from the value it last found canonical only for that value', () => {
    expect(isCanonicalInstant('2026-06-01T10:01:00.000Z')).toBe(true);
    expect(isCanonicalInstant('2026-06-01T10:01:00.000Z')).toBe(true);
    expect(isCanonicalInstant('2026-02-30T10:01:00.000Z')).toBe(false);
    expect(isCanonicalInstant('2026-06-01T10:01:00.000+0000')).toBe(false);
    expect(isCanonicalInstant('')).toBe(false);
  });

  it.each(values)('%s', (value) => {
    expect(occurredAtToSecond(value)).toBe(parsed(value));
    if (isCanonicalInstant(value)) expect(new Date(Date.parse(value)).toISOString()).toBe(value);
  });
  it('every day of four years, at random times', () => {
    const start = Date.UTC(2023, 0, 1);
    for (let day = 0; day < 4 * 366; day++) {
      const text = new Date(
        start + day * 86_400_000 + ((day * 7_919_993) % 86_400_000)
      ).toISOString();
      expect(isCanonicalInstant(text)).toBe(true);
      expect(occurredAtToSecond(text)).toBe(parsed(text));
    }
  });
});

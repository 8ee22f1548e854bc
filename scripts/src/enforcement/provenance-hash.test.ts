import fs from 'node:fs';
import path from 'node:path';
import { canonicalContent, FieldValue, provenanceHash } from './provenance-hash';

interface HashVector {
  name: string;
  fields: Record<string, FieldValue>;
  canonical: string;
  sha256: string;
}

const file = path.resolve(
  __dirname,
  '../../../force-app/test/enforcement/staticresources/ProvenanceHashVectors.json'
);
interface DatetimeVector extends HashVector {
  datetimes: Record<string, string>;
}

const { vectors, datetimeVectors } = JSON.parse(fs.readFileSync(file, 'utf8')) as {
  vectors: HashVector[];
  datetimeVectors: DatetimeVector[];
};

describe('ProvenanceHash shared vectors', () => {
  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    expect(canonicalContent(vector.fields)).toBe(vector.canonical);
    expect(provenanceHash(vector.fields)).toBe(vector.sha256);
  });
});

describe('ProvenanceHash shared date-time vectors', () => {
  it.each(datetimeVectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const fields: Record<string, FieldValue> = { ...vector.fields };
    for (const [name, iso] of Object.entries(vector.datetimes)) fields[name] = new Date(iso);
    expect(canonicalContent(fields)).toBe(vector.canonical);
    expect(provenanceHash(fields)).toBe(vector.sha256);
  });
});

describe('canonicalContent', () => {
  it('writes dates as ISO 8601 UTC and numbers without exponent', () => {
    expect(
      canonicalContent({
        CloseDate: new Date('2026-06-01T10:00:00Z'),
        Amount: 1e21,
        Tiny: 1e-7,
        Bad: Number.NaN
      })
    ).toBe(
      '{"amount":"1000000000000000000000","closedate":"2026-06-01T10:00:00.000Z","tiny":"0.0000001"}'
    );
  });
});

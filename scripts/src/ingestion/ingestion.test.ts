import fc from 'fast-check';
import * as sh from 'structured-headers';
import { REASON_CODES } from '../policy/reason-codes';
import { provenanceFieldsOf } from '../provenance-model/schema';
import {
  combineHeaderLines,
  DISCLOSURE_HEADERS,
  parseTimestamp,
  readDisclosure
} from './disclosure-headers';
import { evaluateRequest } from './ingestion-service';
import { loadIngestionVectors } from './ingestion-vectors';
import { MAX_BATCH_SIZE } from './payload-validator';
import { type Item, parseDictionary, StructuredFieldError } from './structured-field';

const file = loadIngestionVectors();

function parseOrNull(input: string) {
  try {
    return parseDictionary(input);
  } catch (error) {
    if (error instanceof StructuredFieldError) return null;
    throw error;
  }
}

describe('StructuredField shared vectors', () => {
  it.each(file.structuredFields.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    expect(parseOrNull(vector.input)).toEqual(vector.expected);
  });
});

describe('DisclosureHeaders shared vectors', () => {
  it.each(file.disclosures.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const { disclosure, errors } = readDisclosure(combineHeaderLines(vector.headers));
    expect(errors.map((e) => e.header)).toEqual(vector.expected.errors);
    if (vector.expected.errors.length > 0) return;
    expect(disclosure.declared).toEqual(vector.expected.declared);
    expect(disclosure.aiDisclosed).toBe(vector.expected.aiDisclosed);
    expect(disclosure.conflicts).toEqual(vector.expected.conflicts);
  });
});

describe('IngestionService shared payload vectors', () => {
  const context = { policy: file.payloadDefaults.policy, now: file.payloadDefaults.now };

  it.each(file.payloads.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const response = evaluateRequest(
      { objectName: vector.object, headers: vector.headers, body: vector.body },
      context
    );
    expect({
      status: response.status,
      results: response.results.map((r) => ({
        status: r.status,
        decision: r.decision,
        syntheticStatus: r.syntheticStatus,
        reasons: r.reasons
      })),
      errors: [...new Set(response.errors.map((e) => e.code))].sort()
    }).toEqual(vector.expected);
  });

  it('covers every status code and the disclosure reason codes', () => {
    const statuses = new Set(file.payloads.map((v) => v.expected.status));
    expect([...statuses].sort()).toEqual([201, 202, 400, 422]);
    const reasons = new Set(
      file.payloads.flatMap((v) => v.expected.results.flatMap((r) => r.reasons))
    );
    for (const code of ['DISCLOSURE_CONFLICT', 'BULK_INJECTION_LIMIT', 'UNDISCLOSED_AI_SIGNAL'])
      expect(reasons).toContain(code);
    expect(REASON_CODES).toContain('DISCLOSURE_CONFLICT');
  });

  it('keeps every error message actionable (names the field or header, never a stack)', () => {
    const response = evaluateRequest(
      {
        objectName: 'Lead',
        headers: [['X-Synthetic-Confidence', 'high']],
        body: '{"records":[{"Bogus":1}]}'
      },
      context
    );
    expect(response.errors).toEqual([
      expect.objectContaining({ code: 'MALFORMED_HEADER', header: 'X-Synthetic-Confidence' }),
      expect.objectContaining({ code: 'UNKNOWN_FIELD', index: 0, field: 'Bogus' })
    ]);
    for (const error of response.errors) expect(error.message).not.toMatch(/\n\s+at /);
  });

  it('takes an import batch id of up to 80 characters in X-Provenance-Batch', () => {
    const body = '{"LastName":"Ng","Company":"Acme"}';
    const ok = evaluateRequest(
      { objectName: 'Lead', headers: [['X-Provenance-Batch', 'crm-eu-2026-06-01']], body },
      context
    );
    expect(ok.errors).toEqual([]);
    const long = evaluateRequest(
      { objectName: 'Lead', headers: [['X-Provenance-Batch', 'b'.repeat(81)]], body },
      context
    );
    expect(long.status).toBe(400);
    expect(long.errors).toEqual([
      expect.objectContaining({ code: 'MALFORMED_HEADER', header: 'X-Provenance-Batch' })
    ]);
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2026-06-01T11:00:00Z', '2026-06-01T11:00:00.000Z'],
    ['2026-06-01t11:00:00.123456z', '2026-06-01T11:00:00.123Z'],
    ['2026-06-01 11:00:00-00:30', '2026-06-01T11:30:00.000Z'],
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['2026-13-01T00:00:00Z', null],
    ['2026-06-01T24:00:00Z', null],
    ['2026-06-01T11:00:00+24:00', null],
    ['2027-02-29T00:00:00Z', null]
  ])('%s → %s', (input, expected) => {
    expect(parseTimestamp(input)).toBe(expected);
  });
});

// structured-headers as an independent oracle. Its Date parser fails on anything after a date
// (2.1.0), so inputs with "@" are left to the shared vectors.
function fromLibrary(input: string): unknown {
  const dictionary = sh.parseDictionary(input);
  const bare = (value: unknown): { type: string; value: unknown } => {
    if (value instanceof sh.Token) return { type: 'token', value: value.toString() };
    if (value instanceof sh.DisplayString)
      return { type: 'displaystring', value: value.toString() };
    if (value instanceof ArrayBuffer)
      return { type: 'binary', value: sh.arrayBufferToBase64(value) };
    if (typeof value === 'boolean') return { type: 'boolean', value };
    if (typeof value === 'string') return { type: 'string', value };
    return { type: Number.isInteger(value) ? 'integer' : 'decimal', value };
  };
  const params = (p: Map<string, unknown>) => [...p].map(([k, v]) => [k, bare(v)]);
  const item = ([value, p]: [unknown, Map<string, unknown>]): unknown =>
    Array.isArray(value)
      ? {
          type: 'innerlist',
          value: value.map((inner) => item(inner as [unknown, Map<string, unknown>])),
          params: params(p)
        }
      : { ...bare(value), params: params(p) };
  return [...dictionary].map(([key, member]) => [
    key,
    item(member as [unknown, Map<string, unknown>])
  ]);
}

// Byte sequences compare decoded ("YQ" and "YQ==" are the same bytes); numbers by value (the
// library returns 1.0 as the number 1, so its integer/decimal distinction is lost).
function comparable(dictionary: unknown): unknown {
  return JSON.parse(JSON.stringify(dictionary), (_key, value: unknown) => {
    const item = value as Item | null;
    if (!item || typeof item !== 'object' || !('type' in item)) return value;
    if (item.type === 'binary')
      return { ...item, value: Buffer.from(item.value as string, 'base64').toString('base64') };
    if (item.type === 'integer' || item.type === 'decimal') return { ...item, type: 'number' };
    return value;
  });
}

const sfAlphabet = fc.constantFrom(
  ...'abz*-_.019=,;:?"()\\ %@\tAZ/'.split(''),
  'mode=ai-originated',
  'model="gpt-4o"',
  ', ',
  ';p=1',
  '?1',
  ':aGk=:',
  '%"f%c3%bc"',
  '(1 2)',
  '1.5'
);
const sfInput = fc.array(sfAlphabet, { maxLength: 30 }).map((parts) => parts.join(''));

describe('property tests (fast-check)', () => {
  it('parseDictionary agrees with structured-headers on random input without dates', () => {
    fc.assert(
      fc.property(
        sfInput.filter((s) => !s.includes('@')),
        (input) => {
          let theirs: unknown = null;
          try {
            theirs = fromLibrary(input);
          } catch {
            theirs = null;
          }
          const ours = parseOrNull(input);
          expect(comparable(ours)).toEqual(comparable(theirs));
        }
      ),
      { numRuns: 5000 }
    );
  });

  it('parses what structured-headers serialises, dates included', () => {
    const key = fc.stringMatching(/^[a-z*][a-z0-9_.*-]{0,6}$/);
    const bareValue = fc.oneof(
      fc.integer({ min: -999_999_999_999_999, max: 999_999_999_999_999 }),
      fc.boolean(),
      fc.stringMatching(/^[ -~]{0,12}$/),
      fc.stringMatching(/^[A-Za-z*][A-Za-z0-9!#$%&'*+.^_`|~:/-]{0,8}$/).map((t) => new sh.Token(t)),
      fc.integer({ min: -1e11, max: 1e11 }).map((s) => new Date(s * 1000))
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(key, bareValue), { selector: ([k]) => k, maxLength: 6 }),
        (members) => {
          const text = sh.serializeDictionary(
            new Map(members.map(([k, v]) => [k, [v, new Map()]]))
          );
          const parsed = parseDictionary(text);
          expect(parsed.map(([k]) => k)).toEqual(members.map(([k]) => k));
          parsed.forEach(([, item], i) => {
            const original = members[i]![1];
            if (original instanceof Date)
              expect(item).toMatchObject({ type: 'date', value: original.getTime() / 1000 });
            else if (original instanceof sh.Token) expect(item.value).toBe(original.toString());
            else expect(item.value).toBe(original);
          });
        }
      ),
      { numRuns: 3000 }
    );
  });

  it('never throws anything but a StructuredFieldError, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(sfInput, fc.string({ maxLength: 60 })), (input) => {
        parseOrNull(input);
      }),
      { numRuns: 10000 }
    );
  });

  it('reads any header values without throwing; malformed ones become errors', () => {
    const names = fc.constantFrom(...DISCLOSURE_HEADERS, 'x-ai-model');
    const values = fc.oneof(
      sfInput,
      fc.string({ maxLength: 40 }),
      fc.constantFrom('true', '?0', '97.5', '2026-06-01T11:00:00Z')
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(names, values), { maxLength: 6 }), (lines) => {
        const { disclosure, errors } = readDisclosure(combineHeaderLines(lines));
        expect(Array.isArray(errors)).toBe(true);
        expect(disclosure.aiDisclosed).toBe(disclosure.declared.Synthetic_Data__c === true);
      }),
      { numRuns: 5000 }
    );
  });

  it('answers any payload with a documented status and never loses a record', () => {
    const context = { policy: file.payloadDefaults.policy, now: file.payloadDefaults.now };
    const fieldValue = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.double({ noNaN: false }),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('2026-06-01T11:00:00Z', 'trainedAlgorithmicMedia', 'openai/gpt-4o')
    );
    const fieldName = fc.constantFrom('LastName', 'Company', 'Nope', ...provenanceFieldsOf('Lead'));
    const record = fc.dictionary(fieldName, fieldValue, { maxKeys: 6 });
    const body = fc.oneof(
      record.map((r) => JSON.stringify(r)),
      fc.array(record, { maxLength: 8 }).map((records) => JSON.stringify({ records })),
      fc.string({ maxLength: 30 })
    );
    fc.assert(
      fc.property(
        body,
        fc.constantFrom('Lead', 'Contact', 'Account', 'Case', 'Opportunity', 'Nope'),
        (text, objectName) => {
          const response = evaluateRequest({ objectName, headers: [], body: text }, context);
          expect([200, 201, 202, 400, 422]).toContain(response.status);
          if (response.status === 400) {
            expect(response.errors.length).toBeGreaterThan(0);
            expect(response.results).toEqual([]);
          } else {
            const parsed = JSON.parse(text) as { records?: unknown[] };
            expect(response.results).toHaveLength(parsed.records?.length ?? 1);
          }
        }
      ),
      { numRuns: 3000 }
    );
  });
});

it('refuses batches over the documented limit', () => {
  expect(MAX_BATCH_SIZE).toBe(200);
});

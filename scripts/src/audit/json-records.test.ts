import { Readable } from 'node:stream';
import { jsonRecords } from './json-records';

async function all(
  text: string | Buffer,
  size: number
): Promise<{ records: unknown[]; saw: boolean }> {
  const chunks: (string | Buffer)[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  const records: unknown[] = [];
  const it = jsonRecords(Readable.from(chunks), 'f.json');
  for (;;) {
    const next = await it.next();
    if (next.done) return { records, saw: next.value };
    records.push(next.value);
  }
}

describe('jsonRecords: one record at a time, any chunk boundary', () => {
  const doc = JSON.stringify(
    {
      meta: { records: 'not this' },
      records: [
        {
          attributes: { type: 'Account' },
          Name: 'a "quoted" {brace} [x]',
          Contacts: { records: [{ LastName: 'é' }] }
        },
        { attributes: { type: 'Account' }, Name: '\\\\' }
      ]
    },
    null,
    2
  );
  it.each([1, 2, 3, 7, 64, 100_000])('reads the same records in chunks of %i', async (size) => {
    const { records, saw } = await all(doc, size);
    expect(saw).toBe(true);
    expect(records).toEqual((JSON.parse(doc) as { records: unknown[] }).records);
  });

  it.each([1, 2, 5, 13])(
    'reads escaped quotes and backslash runs cut at any boundary (chunks of %i)',
    async (size) => {
      const records = [
        { Name: 'a\\"b', Note: '\\\\' },
        { Name: '"', Note: '\\"\\' },
        { Name: '}{][', Note: '\u00e9\n' }
      ];
      const text = JSON.stringify({ records });
      expect((await all(text, size)).records).toEqual(records);
    }
  );

  it('names the record that does not parse among many in one chunk', async () => {
    const good = Array.from({ length: 40 }, (_, i) => `{"a":${i}}`);
    const text = `{"records":[${[...good.slice(0, 30), '{"a":01}', ...good.slice(30)].join(',')}]}`;
    await expect(all(text, 100_000)).rejects.toThrow(/record 31:/);
    await expect(all(text, 7)).rejects.toThrow(/record 31:/);
  });

  it('reads a top-level array, and tells a file without records', async () => {
    expect((await all('[{"a":1},{"a":2}]', 3)).records).toHaveLength(2);
    expect((await all('{"not":"an array"}', 4)).saw).toBe(false);
  });

  it.each([
    ['truncated', '{"records":[{"a":1},{"a":', /ends early/],
    ['garbage between records', '{"records":[{"a":1} x {"a":2}]}', /between records/],
    ['a bad record', '{"records":[{"a":}]}', /record 1/],
    ['not JSON', 'Id,Name', /does not start/],
    ['a non-object record', '{"records":[1]}', /not an sObject record/]
  ])('refuses %s', async (_case, text, message) => {
    await expect(all(text, 5)).rejects.toThrow(message);
  });

  describe('bytes', () => {
    const small = [{ Name: 'Zoë Ångström 日本 😀', Note: '"}{' }, { Name: 'plain' }];
    // A record longer than a decoded piece (64 KiB), multi-byte characters across its edges.
    const large = [...small, { Name: `${'x'.repeat(65_535)}é`, Note: '😀'.repeat(20_000) }];
    const bytes = (records: unknown[]) => Buffer.from(JSON.stringify({ records }), 'utf8');

    it.each([
      [1, small],
      [2, small],
      [3, small],
      [5, small],
      [64, large],
      [65_537, large],
      [1 << 20, large]
    ])('decodes UTF-8 characters cut by reads of %i bytes', async (size, records) => {
      expect((await all(bytes(records), size)).records).toEqual(records);
    });

    it.each([1, 2, 4, 1 << 20])('drops a byte order mark (reads of %i bytes)', async (size) => {
      const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes(small)]);
      expect((await all(withBom, size)).records).toEqual(small);
    });

    it('reads records longer than a decoded piece, and many records per piece', async () => {
      const many = Array.from({ length: 5_000 }, (_, i) => ({
        Id: `a${i}`,
        N: i % 7 === 0 ? 'é' : 'e'
      }));
      const doc = Buffer.from(JSON.stringify({ records: many }, null, 4), 'utf8');
      expect((await all(doc, 1 << 20)).records).toEqual(many);
      expect((await all(doc, 1000)).records).toEqual(many);
    });
  });

  describe('whole records read by one parse, the scanner when that misses', () => {
    // Strings holding what the fast path looks for, nested child lists that end in `},{` and
    // `}]`, values of every kind: each read must equal JSON.parse of the whole document.
    const tricky = ['},{', '}, {', '}]', '},\n{', '\\', '\\"},{"', '{}', '[]', 'é😀'];
    const record = (i: number) => ({
      attributes: { type: 'Account', referenceId: `Ref${i}` },
      Name: `${tricky[i % tricky.length]} ${i}`,
      Count: i,
      Flag: i % 2 === 0,
      Empty: null,
      ...(i % 5 === 0
        ? {
            Contacts: {
              records: [
                { attributes: { type: 'Contact' }, LastName: `},{${i}` },
                { attributes: { type: 'Contact' }, LastName: '}]' }
              ]
            }
          }
        : {})
    });
    const records = Array.from({ length: 3_000 }, (_, i) => record(i));
    const flat = Array.from({ length: 3_000 }, (_, i) => ({ ...record(i), Contacts: undefined }));

    it.each([
      ['compact', records, 0],
      ['pretty', records, 4],
      ['flat, compact', flat, 0],
      ['flat, pretty', flat, 2]
    ])('reads %s documents at any read size', async (_kind, list, indent) => {
      const doc = Buffer.from(JSON.stringify({ records: list, done: true }, null, indent));
      const expected = (JSON.parse(doc.toString()) as { records: unknown[] }).records;
      for (const size of [1 << 20, 65_536, 4_099, 977])
        expect((await all(doc, size)).records).toEqual(expected);
    });

    it('names a bad record far into a file the fast path reads', async () => {
      const good = Array.from({ length: 6_000 }, (_, i) => `{"Name":"n${i}","Count":${i}}`);
      good[4_321] = '{"Name":"bad","Count":01}';
      const text = Buffer.from(`{"records":[\n${good.join(',\n')}\n]}`);
      await expect(all(text, 1 << 20)).rejects.toThrow(/record 4322:/);
      await expect(all(text, 1_000)).rejects.toThrow(/record 4322:/);
    });

    // Named alike whatever the reads: the records before the fault may be read one way or the other.
    it.each([
      [
        'a number for a record',
        '{"Name":"a"},\n7,\n{"Name":"b"}',
        'unexpected "7" between records'
      ],
      [
        'a string for a record',
        '{"Name":"a"},"b",{"Name":"c"}',
        'record 3002 is not an sObject record'
      ],
      [
        'an array for a record',
        '{"Name":"a"},[1],{"Name":"b"}',
        'record 3002 is not an sObject record'
      ],
      ['garbage between records', '{"Name":"a"} x {"Name":"b"}', 'unexpected "x" between records'],
      ['a missing comma', '{"Name":"a"} {"Name":"b"}', 'no comma between records 3001 and 3002'],
      ['two commas', '{"Name":"a"},,{"Name":"b"}', 'a comma where record 3002 should start'],
      ['a comma after the last record', '{"Name":"a"},', 'a comma after record 3001, the last']
    ])('refuses %s after many good records, at any read size', async (_case, tail, message) => {
      const good = Array.from({ length: 3_000 }, (_, i) => `{"Name":"n${i}"}`).join(',');
      const text = Buffer.from(`{"records":[${good},${tail}]}`);
      for (const size of [1 << 20, 1_000, 7])
        await expect(all(text, size)).rejects.toThrow(message);
    });

    it('tells a file truncated inside the records array', async () => {
      const good = Array.from({ length: 3_000 }, (_, i) => `{"Name":"n${i}"}`).join(',\n');
      for (const cut of ['', ',', ',\n{"Name":"x', ',\n{"Name":"x"}'])
        await expect(all(Buffer.from(`{"records":[${good}${cut}`), 1 << 20)).rejects.toThrow(
          /ends early/
        );
    });
  });
});

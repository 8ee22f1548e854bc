import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAuditChainVectors } from './audit-chain-vectors';
import { COLUMNS, ExportFormatError, readAuditExport, to18 } from './export-reader';

const vectors = loadAuditChainVectors();
const columns = Object.values(COLUMNS);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-export-'));

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

type Row = Record<string, string | number | null | undefined>;

function csvOf(rows: Row[], header = columns): string {
  const cell = (v: string | number | null | undefined) => {
    const text = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return (
    [header.join(','), ...rows.map((r) => header.map((c) => cell(r[c])).join(','))].join('\r\n') +
    '\r\n'
  );
}

async function readAll(file: string) {
  const events = [];
  for await (const event of readAuditExport(file)) events.push(event);
  return events;
}

describe('readAuditExport', () => {
  it('reads a Bulk API CSV (with BOM and CRLF) and a JSON array to the same events', async () => {
    const fromCsv = await readAll(
      write(
        'chain.csv',
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvOf(vectors.events))])
      )
    );
    const fromJson = await readAll(write('chain.json', JSON.stringify(vectors.events)));
    expect(fromCsv).toHaveLength(7);
    expect(fromCsv).toEqual(fromJson);
    expect(fromCsv[2]?.payload).toContain('Réseau — ünïcode ✓');
  });

  it('reads REST query results and sObject trees ({"records": [...]}) and files without an extension', async () => {
    const rest = await readAll(
      write('rest.json', JSON.stringify({ totalSize: 7, done: true, records: vectors.events }))
    );
    const bare = await readAll(write('export', JSON.stringify(vectors.events)));
    expect(rest).toHaveLength(7);
    expect(bare).toHaveLength(7);
  });

  it('matches column names case-insensitively and widens 15-character Ids', async () => {
    const lower = columns.map((c) => c.toLowerCase());
    const rows: Row[] = vectors.events.map((e) =>
      Object.fromEntries(
        columns.map((c, i) => [lower[i]!, c === 'Acting_User__c' ? '005000000000001' : e[c]])
      )
    );
    const [first] = await readAll(write('lower.csv', csvOf(rows, lower)));
    expect(first?.actingUser).toBe('005000000000001AAA');
    // Blocks 00Q5g, 00000, AbCdE have upper-case bit masks 4, 0, 21: suffix E, A, V.
    expect(to18('00Q5g00000AbCdE')).toBe('00Q5g00000AbCdEEAV');
    expect(to18('not-an-id')).toBe('not-an-id');
  });

  it.each([
    ['a missing file', () => path.join(dir, 'nope.csv'), /nope\.csv: no such file/],
    ['a directory', () => dir, /not a file/],
    ['binary garbage', () => write('garbage.bin', Buffer.from([0, 1, 2, 0, 255])), /binary data/],
    [
      'UTF-16 text',
      () => write('utf16.csv', Buffer.from(csvOf(vectors.events), 'utf16le')),
      /binary data/
    ],
    [
      'missing columns',
      () => write('cols.csv', 'Sequence__c,Hash__c\n1,abc\n'),
      /cols\.csv: missing column\(s\) Previous_Hash__c, Payload__c, Event_Type__c/
    ],
    [
      'a bad sequence, with its line',
      () => write('seq.csv', csvOf([{ ...vectors.events[0], Sequence__c: 'one' }])),
      /seq\.csv:2: Sequence__c is "one"/
    ],
    [
      'a bad date-time',
      () => write('date.csv', csvOf([{ ...vectors.events[0], Occurred_At__c: 'yesterday' }])),
      /Occurred_At__c is "yesterday"/
    ],
    [
      'a ragged CSV row',
      () => write('ragged.csv', `${columns.join(',')}\n1,2,3\n`),
      /ragged\.csv:2: not a valid CSV export/
    ],
    [
      'broken JSON',
      () => write('broken.json', '[{"Sequence__c": 1,'),
      /broken\.json: not valid JSON/
    ],
    [
      'a JSON array of non-objects',
      () => write('numbers.json', '[1, 2]'),
      /record 1 is not an object/
    ],
    [
      'JSON without the columns',
      () => write('wrong.json', '[{"Name": "x"}]'),
      /wrong\.json: missing column/
    ]
  ])('rejects %s with a clear message', async (_case, file, message) => {
    await expect(readAll(file())).rejects.toThrow(ExportFormatError);
    await expect(readAll(file())).rejects.toThrow(message);
  });

  it('streams a line longer than 1 MB without trouble', async () => {
    const big = { ...vectors.events[0], Payload__c: 'x'.repeat(1_200_000) };
    const [event] = await readAll(write('big.csv', csvOf([big])));
    expect(event?.payload).toHaveLength(1_200_000);
  });
});

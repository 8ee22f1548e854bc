import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import * as scanner from './csv-scanner';
import { CsvReadOptions, readCsvBatches } from './csv-stream';
import { eventBatchesFromCsv } from '../audit-chain/export-reader';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-scan-'));
let written = 0;
const write = (content: string | Buffer) => {
  const file = path.join(dir, `input-${written++}.csv`);
  fs.writeFileSync(file, content);
  return file;
};

/** Papa Parse's own parse of one text, as readCsvBatches drives it (the reference). */
function papaRows(text: string, newline: '\n' | '\r\n', partial: boolean) {
  const { ParserHandle } = Papa as unknown as {
    ParserHandle: new (config: Papa.ParseConfig<string[]>) => {
      parse(input: string, base: number, ignoreLastRow: boolean): Papa.ParseResult<string[]>;
    };
  };
  const results = new ParserHandle({ skipEmptyLines: true, delimiter: ',', newline }).parse(
    text,
    0,
    partial
  );
  return { rows: results.data, cursor: results.meta.cursor, errors: results.errors };
}

/** Everything a read gives: each row and its line, or the error that stopped it. */
async function outcome(file: string, options: CsvReadOptions) {
  const rows: [number, string[]][] = [];
  try {
    for await (const batch of readCsvBatches(file, options))
      batch.rows.forEach((row, i) => rows.push([batch.lines[i]!, row]));
    return { rows };
  } catch (error) {
    return { rows, error: (error as Error).message };
  }
}

/** A small deterministic generator (mulberry32), so a failure names its seed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'b', ',', '"', '""', '\n', '\r\n', ' ', 'é', '€', '𝄞', '{"k":1}', ''];

/** A CSV as a writer quotes it (every value with a quote, comma or line break in quotes). */
function generated(seed: number, newline: '\n' | '\r\n', rows = 60, width = 4): string {
  const next = random(seed);
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)]!;
  const value = () => {
    let text = '';
    for (let n = Math.floor(next() * 6); n > 0; n--) text += pick(ALPHABET);
    const quoted = /[",\r\n]/.test(text) || next() < 0.2;
    return quoted ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const header = Array.from({ length: width }, (_, i) => `col${i}`).join(',');
  const lines = Array.from({ length: rows }, () =>
    next() < 0.03 ? '' : Array.from({ length: width }, value).join(',')
  );
  return `${header}${newline}${lines.join(newline)}${next() < 0.5 ? newline : ''}`;
}

/** The generated CSV with a few characters changed: quotes opened and left, values spread. */
function mutated(seed: number, text: string): string {
  const next = random(seed * 7919);
  let out = text;
  for (let n = 1 + Math.floor(next() * 3); n > 0; n--) {
    const at = Math.floor(next() * out.length);
    const insert = ['"', ',', '\n', '\r', ' ', '"x', '" '][Math.floor(next() * 7)]!;
    out =
      next() < 0.5
        ? out.slice(0, at) + insert + out.slice(at)
        : out.slice(0, at) + out.slice(at + 1);
  }
  return out;
}

/** Piece sizes that put boundaries at every kind of place, and the reader's own. */
const PIECES = [97, 256, 1000, undefined];

describe('scanCsvRows', () => {
  it('splits a text exactly as Papa Parse does, or leaves it to Papa', () => {
    let scanned = 0;
    for (let seed = 1; seed <= 400; seed++)
      for (const newline of ['\n', '\r\n'] as const) {
        const text =
          seed % 2 ? generated(seed, newline, 12) : mutated(seed, generated(seed, newline, 12));
        for (const partial of [true, false]) {
          const mine = scanner.scanCsvRows(text, newline, partial);
          // Well-formed text is the scanner's own: Papa reads only what the scanner leaves.
          if (seed % 2)
            expect({ seed, newline, partial, scanned: !!mine }).toMatchObject({ scanned: true });
          if (!mine) continue;
          scanned++;
          const papa = papaRows(text, newline, partial);
          expect({ seed, newline, partial, ...mine }).toEqual({
            seed,
            newline,
            partial,
            rows: papa.rows,
            cursor: papa.cursor
          });
          expect(papa.errors).toEqual([]);
        }
      }
    expect(scanned).toBeGreaterThan(800);
  });

  it('leaves to Papa an open quote at the end, and a closing quote followed by other text', () => {
    expect(scanner.scanCsvRows('a,b\n1,"open\n', '\n', false)).toBeNull();
    expect(scanner.scanCsvRows('a,b\n1,"open\n', '\n', true)).toEqual({
      rows: [['a', 'b']],
      cursor: 4
    });
    expect(scanner.scanCsvRows('a,b\n1,"x"y\n', '\n', true)).toBeNull();
    expect(scanner.scanCsvRows('a,b\n1,"x"  ,y\n', '\n', true)).toBeNull();
    // A quoted value before CRLF when the file's line end is LF: Papa drops the CR.
    expect(scanner.scanCsvRows('a,b\n1,"x"\r\n', '\n', true)).toBeNull();
  });

  it('takes a quote inside an unquoted value as text, as Papa does', () => {
    expect(scanner.scanCsvRows('a,b\n1,x"y\n', '\n', false)).toEqual({
      rows: [
        ['a', 'b'],
        ['1', 'x"y']
      ],
      cursor: 10
    });
  });
});

describe('readCsvBatches with the scanner', () => {
  it('reads generated and broken CSVs to the same rows, lines and errors as Papa Parse', async () => {
    for (let seed = 1; seed <= 60; seed++)
      for (const newline of ['\n', '\r\n'] as const) {
        const clean = generated(seed, newline);
        for (const text of [clean, mutated(seed, clean), `\uFEFF${clean}`]) {
          const file = write(text);
          for (const pieceBytes of PIECES) {
            const papa = await outcome(file, { pieceBytes });
            const mine = await outcome(file, { pieceBytes, scanner: true });
            expect({ seed, pieceBytes, ...mine }).toEqual({ seed, pieceBytes, ...papa });
          }
        }
      }
  });

  it('holds the errors that name file:line: a file cut inside a quote, an open quote, a ragged row', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i},"a ""quoted"" value, ${i}"`);
    const cases: [string, RegExp][] = [
      [
        `a,b\n${rows.join('\n')}\n3000,"cut`,
        /:3002: not a valid CSV export \(Quoted field unterminated\)/
      ],
      [`a,b\n${rows.join('\n')}\n3000,"x"y\n`, /:3002: not a valid CSV export \(Trailing quote/],
      [
        `a,b\n${rows.join('\n')}\n3000,x,extra\n`,
        /:3002: not a valid CSV export \(3 fields where the header has 2\)/
      ],
      [
        `a,b\n${rows.slice(0, 1500).join('\n')}\n7\n${rows.join('\n')}\n`,
        /:1502: not a valid CSV export \(1 fields/
      ]
    ];
    for (const [text, message] of cases) {
      const file = write(text);
      for (const pieceBytes of PIECES) {
        const papa = await outcome(file, { pieceBytes });
        const mine = await outcome(file, { pieceBytes, scanner: true });
        expect(mine.error).toMatch(message);
        expect(mine).toEqual(papa);
      }
    }
  });

  it('decodes 2-, 3- and 4-byte characters cut at piece boundaries, inside and outside quotes', async () => {
    const rows = Array.from({ length: 500 }, (_, i) =>
      i % 2 ? `${i},é€𝄞${'x'.repeat(i % 7)}` : `${i},"é€𝄞 ""${'𝄞'.repeat(i % 5)}"",\n€"`
    );
    const file = write(`id,note\r\n${rows.join('\r\n')}\r\n`);
    for (const pieceBytes of [97, 98, 99, 100, 1000]) {
      const papa = await outcome(file, { pieceBytes });
      expect(papa.rows).toHaveLength(501);
      expect(await outcome(file, { pieceBytes, scanner: true })).toEqual(papa);
    }
  });

  it('leaves a file with another delimiter (Bulk API columnDelimiter TAB, PIPE, SEMICOLON) to Papa Parse', async () => {
    const spy = jest.spyOn(scanner, 'scanCsvRows');
    for (const delimiter of ['\t', '|', ';']) {
      const rows = Array.from({ length: 3000 }, (_, i) =>
        [i, `"a, ""b""${delimiter}c"`, 'x,y'].join(delimiter)
      );
      const file = write(`id${delimiter}note${delimiter}more\n${rows.join('\n')}\n`);
      const papa = await outcome(file, {});
      expect(papa.rows[3000]).toEqual([3001, ['2999', `a, "b"${delimiter}c`, 'x,y']]);
      expect(await outcome(file, { scanner: true })).toEqual(papa);
    }
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('reads the audit events of a large file with the scanner, Papa only for the first piece', async () => {
    const payload = (i: number) =>
      JSON.stringify({ recordId: `001${i}`, status: null, note: 'a,b\n"c"' });
    const header =
      'Sequence__c,Previous_Hash__c,Occurred_At__c,Event_Type__c,Record_Id__c,Object_Type__c,Acting_User__c,Decision__c,Reason_Codes__c,Event_Key__c,Payload__c,Hash__c,Signature__c';
    const lines = Array.from(
      { length: 2000 },
      (_, i) =>
        `${i + 1},${'0'.repeat(64)},2026-05-02T12:00:14.255Z,Decision,001${i},Account,005000000000001AAA,ACCEPT,,key${i},"${payload(i).replaceAll('"', '""')}",${'f'.repeat(64)},`
    );
    const file = write(`${header}\n${lines.join('\n')}\n`);
    const spy = jest.spyOn(scanner, 'scanCsvRows');
    const events = [];
    for await (const batch of eventBatchesFromCsv(file)) events.push(...batch);
    expect(spy.mock.calls.length).toBeGreaterThan(1);
    expect(spy.mock.results.every((r) => r.value !== null)).toBe(true);
    spy.mockRestore();
    expect(events).toHaveLength(2000);
    expect(events[1999]?.payload).toBe(payload(1999));
    expect(events[1999]?.sequence).toBe(2000);
  });
});

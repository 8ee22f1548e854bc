import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_LINE_BYTES, readCsvRecords } from './csv-stream';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-csv-'));
const write = (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
async function read(file: string, known: string[] = []) {
  const rows: { fields: Record<string, string>; line: number }[] = [];
  for await (const row of readCsvRecords(file, known, () => {})) rows.push(row);
  return rows;
}

describe('readCsvRecords', () => {
  it('strips a BOM, gives known columns their canonical case and counts lines across quoted newlines', async () => {
    const file = write('bom.csv', '\uFEFFid,NOTE\r\n1,"two\nlines"\r\n2,plain\r\n');
    expect(await read(file, ['Id', 'Note'])).toEqual([
      { fields: { Id: '1', Note: 'two\nlines' }, line: 2 },
      { fields: { Id: '2', Note: 'plain' }, line: 4 }
    ]);
  });

  it('numbers lines exactly across megabyte chunks, with and without quoted line breaks', async () => {
    const filler = 'x'.repeat(200);
    const rows = Array.from({ length: 12_000 }, (_, i) =>
      i === 9_000 ? `${i},"three\nphysical\nlines"` : `${i},${filler}`
    );
    const file = write('long-file.csv', `id,note\n${rows.join('\n')}\n`);
    const read12k = await read(file);
    expect(read12k[8_999]?.line).toBe(9_001);
    expect(read12k[9_000]?.line).toBe(9_002);
    expect(read12k[9_001]?.line).toBe(9_005);
    expect(read12k.at(-1)?.line).toBe(12_003);
  });

  it('decodes UTF-8 characters that straddle a read chunk boundary', async () => {
    // The reader takes 1 MiB chunks: put 2-, 3- and 4-byte characters across the first boundary.
    for (const char of ['é', '€', '𝄞']) {
      const head = 'id,note\n1,';
      const pad = 'x'.repeat((1 << 20) - Buffer.byteLength(head) - 1);
      const file = write('utf8.csv', `${head}${pad}${char}${char}\n2,${char}\n`);
      const rows = await read(file);
      expect(rows[0]?.fields.note).toBe(`${pad}${char}${char}`);
      expect(rows[1]?.fields.note).toBe(char);
    }
  });

  it('decodes characters and numbers lines across the 64 KiB pieces handed to the parser', async () => {
    // A quoted value with line breaks that straddles the first piece boundary, an empty line
    // after it, and 2-, 3- and 4-byte characters cut by later piece boundaries.
    const head = 'id,note\n';
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `${i},${'y'.repeat(60)}`);
    const before = filler(1000).join('\n');
    const pad = 'x'.repeat((1 << 16) - Buffer.byteLength(`${head}${before}\n9999,"`) - 3);
    const wide = Array.from({ length: 3000 }, (_, i) => `w${i},${'é€𝄞'.repeat(7)}`).join('\n');
    const file = write(
      'pieces.csv',
      `${head}${before}\n9999,"${pad}\nsecond\nthird"\n\n1,after\n${wide}\n2,end\n`
    );
    const rows = await read(file);
    expect(rows[999]?.line).toBe(1001);
    expect(rows[1000]).toEqual({
      fields: { id: '9999', note: `${pad}\nsecond\nthird` },
      line: 1002
    });
    // The reader skips the empty line without counting it, as it always has.
    expect(rows[1001]).toEqual({ fields: { id: '1', note: 'after' }, line: 1005 });
    expect(rows.slice(1002, -1).every((r) => r.fields.note === 'é€𝄞'.repeat(7))).toBe(true);
    expect(rows.at(-1)).toEqual({ fields: { id: '2', note: 'end' }, line: 4006 });
  });

  it('reads a CRLF export whose 64 KiB piece or 1 MiB read ends between the CR and LF after a quoted value', async () => {
    // Papa Parse refused the quoted value ("Trailing quote on quoted field is malformed") when
    // its input ended on the CR: every quoted CRLF export of a few MB met such a cut.
    for (const cut of [1 << 16, 1 << 20]) {
      // ASCII only: its length is its size in bytes.
      let text = '"a","b"\r\n';
      for (let i = 0; text.length < cut - 40; i++) text += `"${i}","x"\r\n`;
      text += `"y","${'z'.repeat(cut - text.length - 7)}"\r`;
      expect(Buffer.byteLength(text)).toBe(cut);
      const rows = await read(write('crlf-cut.csv', `${text}\n"last","x"\r\n`));
      expect(rows.at(-2)?.fields.b).toMatch(/^z+$/);
      expect(rows.at(-1)).toEqual({ fields: { a: 'last', b: 'x' }, line: rows.length + 1 });
    }
  });

  it('names the line of an unterminated quote', async () => {
    const file = write('quote.csv', 'a,b\n1,2\n3,"open\n');
    await expect(read(file)).rejects.toThrow(/quote\.csv:3: not a valid CSV export/);
  });

  it('refuses a physical line longer than any Salesforce record, before buffering it', async () => {
    const file = write('long.csv', `a,b\n1,${'x'.repeat(MAX_LINE_BYTES + 10)}\n`);
    await expect(read(file)).rejects.toThrow(/long\.csv:2: a line longer than 16 MB/);
  });

  it('reads an empty file as no rows and tells the header check', async () => {
    const seen: string[][] = [];
    const file = write('empty.csv', '');
    for await (const row of readCsvRecords(file, [], (h) => seen.push(h))) void row;
    expect(seen).toEqual([[]]);
  });

  it('says what is wrong with a path that is no file, as the read stream did', async () => {
    await expect(read(path.join(dir, 'missing.csv'))).rejects.toThrow(
      /missing\.csv: not a valid CSV export \(ENOENT: no such file or directory/
    );
    await expect(read(dir)).rejects.toThrow(/not a valid CSV export \(EISDIR/);
  });

  it('stops at a truncated file with its file and line, read after read (1.4 MB)', async () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => `${i},"a ""quoted"" value, ${i}"`);
    const file = write('cut.csv', `a,b\n${rows.join('\n')}\n40000,"cut`);
    await expect(read(file)).rejects.toThrow(/cut\.csv:40002: not a valid CSV export/);
    const whole = write('whole.csv', `a,b\n${rows.join('\n')}\n`);
    const read2 = await read(whole);
    expect(read2).toHaveLength(40_000);
    expect(read2[39_999]).toEqual({
      fields: { a: '39999', b: 'a "quoted" value, 39999' },
      line: 40_001
    });
  });
});

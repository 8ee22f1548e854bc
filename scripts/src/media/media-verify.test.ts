import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { listFiles, storeDeclaration } from './media-verify';
import { PdfFilterError, PdfLexer, PdfName, PdfRef, decodeStream } from './pdf-objects';

describe('what c2pa-rs declares, read from its JSON', () => {
  const manifest = (actions: object[], ingredients: string[] = []) => ({
    claim_generator_info: [{ name: 'Gen' }],
    assertions: [{ label: 'c2pa.actions.v2', data: { actions } }],
    ingredients: ingredients.map((active_manifest) => ({ active_manifest }))
  });

  it('takes the active manifest first, then ingredients breadth first, and Adobe parameters', () => {
    expect(
      storeDeclaration({
        active_manifest: 'a',
        manifests: {
          a: manifest([{ action: 'c2pa.opened' }], ['b']),
          b: manifest([
            {
              parameters: {
                'com.adobe.digitalSourceType':
                  'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia'
              }
            }
          ])
        }
      })
    ).toEqual({ digitalSourceType: 'trainedAlgorithmicMedia', generator: 'Gen' });
  });

  it('says none declared when no manifest declares one, and survives ingredient loops', () => {
    expect(
      storeDeclaration({
        active_manifest: 'a',
        manifests: {
          a: { ...manifest([], ['a']), claim_generator_info: undefined, claim_generator: 'Old' }
        }
      })
    ).toEqual({ digitalSourceType: null, generator: 'Old' });
    expect(storeDeclaration({})).toEqual({ digitalSourceType: null, generator: null });
  });

  it('lists a folder in sorted order, recursively, without hidden files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-list-'));
    try {
      fs.mkdirSync(path.join(dir, 'sub'));
      for (const name of ['b.jpg', 'a.png', '.hidden', 'sub/c.pdf'])
        fs.writeFileSync(path.join(dir, name), '');
      expect(listFiles(dir).map((f) => path.relative(dir, f))).toEqual([
        'a.png',
        'b.jpg',
        path.join('sub', 'c.pdf')
      ]);
      expect(listFiles(path.join(dir, 'a.png'))).toEqual([path.join(dir, 'a.png')]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PDF objects', () => {
  it('parses names with escapes, references, strings, arrays and nested dictionaries', () => {
    const lexer = new PdfLexer(
      '<< /Subtype /application#2Fc2pa /F 12 0 R /A [1 -2.5 true null (a\\)b) <4142>] /D << /K /V >> >>',
      0,
      true
    );
    const dict = lexer.value() as Map<string, unknown>;
    expect((dict.get('Subtype') as PdfName).name).toBe('application/c2pa');
    expect(dict.get('F')).toEqual(new PdfRef(12, 0));
    expect(dict.get('A')).toEqual([1, -2.5, true, null, 'a)b', 'AB']);
    expect(((dict.get('D') as Map<string, PdfName>).get('K') as PdfName).name).toBe('V');
  });

  it('undoes every PNG predictor row type (None, Sub, Up, Average, Paeth)', () => {
    const rows = [
      [1, 10, 20, 30],
      [11, 21, 31, 41],
      [5, 5, 5, 5],
      [200, 100, 50, 25],
      [0, 255, 0, 255]
    ];
    const encoded: number[] = [];
    rows.forEach((row, r) => {
      const type = r;
      const up = r > 0 ? (rows[r - 1] as number[]) : [0, 0, 0, 0];
      encoded.push(type);
      row.forEach((value, i) => {
        const left = i > 0 ? (row[i - 1] as number) : 0;
        const above = up[i] as number;
        const upLeft = i > 0 ? (up[i - 1] as number) : 0;
        const p = left + above - upLeft;
        const pick =
          Math.abs(p - left) <= Math.abs(p - above) && Math.abs(p - left) <= Math.abs(p - upLeft)
            ? left
            : Math.abs(p - above) <= Math.abs(p - upLeft)
              ? above
              : upLeft;
        const predicted = [0, left, above, (left + above) >> 1, pick][type] as number;
        encoded.push((value - predicted) & 0xff);
      });
    });
    const dict = new Map<string, unknown>([
      ['Filter', new PdfName('FlateDecode')],
      [
        'DecodeParms',
        new Map([
          ['Predictor', 12],
          ['Columns', 4]
        ])
      ]
    ]);
    const decoded = decodeStream(dict as never, zlib.deflateSync(Buffer.from(encoded)));
    expect([...decoded]).toEqual(rows.flat());
  });

  it('refuses filters it does not implement and Flate data that is not Flate', () => {
    const lzw = new Map([['Filter', [new PdfName('LZWDecode')]]]);
    expect(() => decodeStream(lzw as never, Buffer.from('x'))).toThrow(PdfFilterError);
    const flate = new Map([['Filter', new PdfName('FlateDecode')]]);
    expect(() => decodeStream(flate as never, Buffer.from('not zlib'))).toThrow(PdfFilterError);
  });
});

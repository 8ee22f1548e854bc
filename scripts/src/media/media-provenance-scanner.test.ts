import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BufferSource, MalformedMediaError } from './byte-source';
import { decodeCbor } from './cbor';
import { parseJumbf } from './jumbf';
import { scanBuffer, scanFile } from './media-provenance-scanner';
import { expectationOf, fixtureBytes, loadMediaVectors, vectorBytes } from './media-vectors';
import { xmpFacts } from './xmp';

const { vectors } = loadMediaVectors();
const agreed = expectationOf;

describe('media provenance scanner: shared vectors (the Apex twin runs the same file)', () => {
  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    expect(agreed(scanBuffer(vectorBytes(vector)))).toEqual(vector.expected);
  });

  it.each(vectors.map((v) => [v.name, v] as const))(
    '%s: the in-org walk (file order, as MediaPdf) gives its stated answer, never no-marker where a C2PA reference is',
    (_name, vector) => {
      const inOrg = agreed(scanBuffer(vectorBytes(vector), { inOrg: true }));
      expect(inOrg).toEqual(vector.apexExpected ?? vector.expected);
      if (vector.expected.manifest !== 'none') expect(inOrg.verdict).not.toBe('no-marker');
    }
  );

  it('covers every verdict and every container', () => {
    const verdicts = new Set(vectors.map((v) => v.expected.verdict));
    expect([...verdicts].sort()).toEqual(
      [
        'ai-generated',
        'malformed',
        'no-marker',
        'provenance-present',
        'provenance-stripped',
        'remote-manifest',
        'unreadable',
        'unsupported'
      ].sort()
    );
    expect(new Set(vectors.map((v) => v.expected.format))).toEqual(
      new Set([
        'jpeg',
        'png',
        'mp4',
        'bmff',
        'webp',
        'pdf',
        'gif',
        'tiff',
        'wav',
        'avi',
        'svg',
        'mp3',
        'jxl',
        'unknown'
      ])
    );
  });
});

describe('cost grows with the metadata, not the file', () => {
  it.each([
    ['SdgMedia_C2PA_Png_Firefly', 0.15],
    ['SdgMedia_C2PA_Mp4', 0.06],
    ['SdgMedia_Plain_Jpeg', 0.2],
    ['SdgMedia_Plain_Webp', 0.02],
    ['SdgMedia_C2PA_Jpeg', 0.4]
  ])('%s: reads at most %f of the file, from disk', (resource, share) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-scan-'));
    try {
      const file = path.join(dir, 'f');
      fs.writeFileSync(file, fixtureBytes(resource));
      const fromDisk = scanFile(file);
      expect(fromDisk.bytesRead / fromDisk.size).toBeLessThan(share);
      expect(agreed(fromDisk)).toEqual(agreed(scanBuffer(fixtureBytes(resource))));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(['pdf-incremental-update', 'pdf-object-stream'])(
    '%s: follows the cross-reference data to the manifest past 228 KB of content, reading only what it follows',
    (name) => {
      const vector = vectors.find((v) => v.name === name);
      const bytes = vectorBytes(vector as NonNullable<typeof vector>);
      const result = scanBuffer(bytes);
      expect(result.verdict).toBe('ai-generated');
      expect(result.notes).not.toContainEqual(expect.stringMatching(/file order/));
      expect(bytes.length).toBeGreaterThan(225_000);
      expect(result.bytesRead).toBeLessThan(75_000);
    }
  );

  it('skips the image data of a PNG whatever its size: 50 MB of IDAT costs nothing', () => {
    const png = fixtureBytes('SdgMedia_C2PA_Png_Firefly');
    const idat = Buffer.alloc(50 * 1024 * 1024 + 12);
    idat.writeUInt32BE(50 * 1024 * 1024, 0);
    idat.write('IDAT', 4, 'latin1');
    const iend = png.length - 12;
    const big = Buffer.concat([png.subarray(0, iend), idat, png.subarray(iend)]);
    const result = scanBuffer(big);
    expect(result.verdict).toBe('ai-generated');
    expect(result.bytesRead).toBeLessThan(300_000);
  });

  it('reads a PDF stream with an indirect /Length once, not once per later stream', () => {
    // Found by fuzzing: each endstream search used to read to the end of the file, and the
    // windows after it read the same bytes again.
    const stream = (n: number) =>
      `${n} 0 obj\n<< /Length ${n + 10} 0 R >>\nstream\n${'x'.repeat(20_000)}\nendstream\nendobj\n`;
    const body = [1, 2, 3, 4, 5, 6].map(stream).join('');
    const pdf = Buffer.from(`%PDF-1.7\n${body}trailer\n<< /Size 7 >>\n%%EOF\n`, 'latin1');
    const result = scanBuffer(pdf);
    expect(result.verdict).toBe('no-marker');
    expect(result.bytesRead).toBeLessThan(pdf.length * 1.2);
  });
});

describe('hostile input: no crash, no hang, a clear malformed result', () => {
  it('a CBOR nesting bomb is malformed, not a stack overflow', () => {
    const bomb = Buffer.alloc(100_000, 0x81); // array of array of array …
    expect(() => decodeCbor(bomb)).toThrow(MalformedMediaError);
    expect(() => decodeCbor(Buffer.from([0x9f, 0x01]))).toThrow(/ends early/);
    expect(decodeCbor(Buffer.from([0x9f, 0x01, 0x02, 0xff]))).toEqual([1, 2]);
    expect(decodeCbor(Buffer.from([0x7f, 0x61, 0x61, 0x61, 0x62, 0xff]))).toBe('ab');
    expect(decodeCbor(Buffer.from([0xf9, 0x3c, 0x00]))).toBe(1);
  });

  it('a JUMBF superbox nesting bomb and a zero-size box are malformed', () => {
    const depth = 40;
    let box = Buffer.alloc(0);
    for (let i = 0; i < depth; i++) {
      const jumd = Buffer.concat([
        Buffer.from([0, 0, 0, 25]),
        Buffer.from('jumd'),
        Buffer.alloc(16),
        Buffer.from([0])
      ]);
      const body = Buffer.concat([jumd, box]);
      const header = Buffer.alloc(8);
      header.writeUInt32BE(body.length + 8, 0);
      header.write('jumb', 4, 'latin1');
      box = Buffer.concat([header, body]);
    }
    expect(() => parseJumbf(box)).toThrow(/nested too deeply/);
    expect(() => parseJumbf(Buffer.from([0, 0, 0, 4, 0x6a, 0x75, 0x6d, 0x62]))).toThrow(
      /impossible size/
    );
  });

  it('XMP that is not XML yields no facts', () => {
    expect(xmpFacts('<x:xmpmeta><rdf:RDF')).toEqual({});
  });

  it('random bytes after every signature: always a result, reads bounded by the file', () => {
    const heads = [
      'ffd8',
      '89504e470d0a1a0a',
      '52494646ffffff0057454250',
      '0000001866747970',
      '255044462d'
    ].map((h) => Buffer.from(h, 'hex'));
    fc.assert(
      fc.property(fc.constantFrom(...heads), fc.uint8Array({ maxLength: 4096 }), (head, tail) => {
        const result = scanBuffer(Buffer.concat([head, tail]));
        expect(result.verdict).toMatch(
          /^(malformed|no-marker|unsupported|provenance-present|ai-generated|provenance-stripped|remote-manifest)$/
        );
        // Headers read twice (format detection, then the walk) count twice.
        expect(result.bytesRead).toBeLessThanOrEqual(2 * result.size + 64);
      }),
      { numRuns: 500 }
    );
  });

  it('mutated real fixtures: flipped bytes, truncations and lying lengths never throw', () => {
    const fixtures = [
      'SdgMedia_C2PA_Jpeg',
      'SdgMedia_C2PA_Mp4',
      'SdgMedia_Plain_Webp',
      'SdgMedia_Plain_Pdf'
    ]
      .map(fixtureBytes)
      .concat(
        [
          'gif-c2pa',
          'tiff-c2pa',
          'wav-c2pa',
          'svg-c2pa',
          'mp3-c2pa',
          'jxl-c2pa',
          'pdf-object-stream'
        ]
          .map((name) => vectors.find((v) => v.name === name))
          .map((v) => vectorBytes(v as NonNullable<typeof v>))
      );
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtures.keys()),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.option(fc.nat()),
        (index, flips, cut) => {
          const original = fixtures[index] as Buffer;
          let bytes = Buffer.from(original);
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          if (cut !== null) bytes = bytes.subarray(0, cut % (bytes.length + 1));
          const result = scanBuffer(bytes);
          expect(result.bytesRead).toBeLessThanOrEqual(2 * result.size + 64);
          if (result.verdict === 'malformed') expect(result.notes[0]).toEqual(expect.any(String));
        }
      ),
      { numRuns: 300 }
    );
  });

  it('reads are refused past the end of the source', () => {
    const src = new BufferSource(Buffer.alloc(10));
    expect(() => src.read(8, 4)).toThrow(/past the end/);
    expect(() => src.read(-1, 1)).toThrow(/invalid read/);
  });
});

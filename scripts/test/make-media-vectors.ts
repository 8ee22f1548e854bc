// Writes force-app/test/media/staticresources/MediaScanVectors.json: the shared media scanner
// cases, each a real fixture (or bytes built here) with byte-level edits that say how a
// stripped, remote, malformed or re-packaged variant was made. Expectations are taken from the
// TypeScript scanner and then reviewed by hand against each file's structure (see
// docs/media-scanner.md); the Apex and TypeScript tests both hold the scanners to them.
// Run: node --import tsx scripts/test/make-media-vectors.ts
import fs from 'node:fs';
import zlib from 'node:zlib';
import { scanBuffer } from '../src/media/media-provenance-scanner';
import {
  MEDIA_VECTORS_PATH,
  MediaVector,
  expectationOf,
  fixtureBytes,
  vectorBytes
} from '../src/media/media-vectors';

const hex = (text: string) => Buffer.from(text, 'latin1').toString('hex');
const u32 = (n: number) => n.toString(16).padStart(8, '0');
const u16 = (n: number) => n.toString(16).padStart(4, '0');
const le32 = (n: number) => Buffer.from(Uint32Array.of(n).buffer).toString('hex');

const xmpPacket = (inner: string) =>
  `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">${inner}</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
const app1Xmp = (inner: string) => {
  const body = Buffer.concat([
    Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'),
    Buffer.from(xmpPacket(inner), 'utf8')
  ]);
  return 'ffe1' + u16(body.length + 2) + body.toString('hex');
};

// C.jpg: APP0 at 2, the single APP11 segment at 20; its JUMBF manifest store starts at 32.
const cjpg = fixtureBytes('SdgMedia_C2PA_Jpeg');
const app11Length = cjpg.readUInt16BE(22);
const storeStart = 32;
const storeLength = app11Length - 10;
// video1.mp4: ftyp (24 bytes), then the C2PA uuid box at 24; XMP uuid box later.
const mp4 = fixtureBytes('SdgMedia_C2PA_Mp4');
const xmpBox = mp4.indexOf(Buffer.from('be7acfcb97a942e89c71999491e3afac', 'hex'));
const selfRef = mp4.indexOf('self#jumbf=', xmpBox);
const moov = 24 + mp4.readUInt32BE(24); // after ftyp and the C2PA uuid box
let mdat = 0;
for (let at = 0; at < mp4.length; at += mp4.readUInt32BE(at))
  if (mp4.toString('latin1', at + 4, at + 8) === 'mdat') mdat = at;
const png = fixtureBytes('SdgMedia_C2PA_Png_Firefly');
const cabx = png.indexOf('caBX') - 4;
const webp = fixtureBytes('SdgMedia_Plain_Webp');

function pdf(
  objects: (
    string | { dict: string; stream: Buffer | { from: string; start: number; length: number } }
  )[]
) {
  // Built with a classic xref table; stream objects given as slices of a fixture stay slices.
  const parts: (Buffer | { from: string; start: number; length: number })[] = [
    Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')
  ];
  objects.forEach((object, i) => {
    if (typeof object === 'string')
      parts.push(Buffer.from(`${i + 1} 0 obj\n${object}\nendobj\n`, 'latin1'));
    else {
      const length = object.stream.length;
      parts.push(
        Buffer.from(
          `${i + 1} 0 obj\n${object.dict.replace('LENGTH', String(length))}\nstream\n`,
          'latin1'
        )
      );
      parts.push(object.stream);
      parts.push(Buffer.from('\nendstream\nendobj\n', 'latin1'));
    }
  });
  parts.push(
    Buffer.from(
      `trailer\n<< /Root 1 0 R /Size ${objects.length + 1} >>\nstartxref\n0\n%%EOF\n`,
      'latin1'
    )
  );
  // The hex holds everything but the slices; each slice becomes an insertSlice edit.
  let hexText = '';
  const edits: MediaVector['edits'] = [];
  let offset = 0;
  for (const part of parts) {
    if (Buffer.isBuffer(part)) {
      hexText += part.toString('hex');
      offset += part.length;
    } else {
      edits.push({
        op: 'insertSlice',
        at: offset,
        from: part.from,
        start: part.start,
        length: part.length
      });
      offset += part.length;
    }
  }
  return { hex: hexText, edits };
}

type Slice = { from: string; start: number; length: number };

/**
 * A PDF written the way real writers do (ISO 32000-1 §7.5): numbered objects, classic
 * cross-reference tables with 20-byte entries, incremental updates that append objects and a
 * new section whose trailer points back with /Prev, and (PDF 1.5) object streams indexed by a
 * compressed cross-reference stream. Stream data given as a fixture slice stays a slice.
 */
class PdfWriter {
  private parts: (Buffer | Slice)[] = [];
  private offset = 0;
  private offsets = new Map<number, number>();
  private pending: number[] = [];
  private lastXref: number | undefined;

  constructor(version = '1.7') {
    this.push(Buffer.from(`%PDF-${version}\n%\xe2\xe3\xcf\xd3\n`, 'latin1'));
  }

  private push(part: Buffer | Slice) {
    this.parts.push(part);
    this.offset += part.length;
  }

  object(num: number, text: string): this {
    this.offsets.set(num, this.offset);
    this.pending.push(num);
    this.push(Buffer.from(`${num} 0 obj\n${text}\nendobj\n`, 'latin1'));
    return this;
  }

  stream(num: number, dict: string, data: Buffer | Slice): this {
    this.offsets.set(num, this.offset);
    this.pending.push(num);
    this.push(
      Buffer.from(
        `${num} 0 obj\n${dict.replace('LENGTH', String(data.length))}\nstream\n`,
        'latin1'
      )
    );
    this.push(data);
    this.push(Buffer.from('\nendstream\nendobj\n', 'latin1'));
    return this;
  }

  /** Objects 1..n (each a dictionary or value) packed into one Flate object stream. */
  objectStream(num: number, objects: [number, string][]): this {
    let header = '';
    let body = '';
    for (const [n, text] of objects) {
      header += `${n} ${body.length} `;
      body += `${text}\n`;
    }
    const data = zlib.deflateSync(Buffer.from(header + body, 'latin1'));
    return this.stream(
      num,
      `<< /Type /ObjStm /N ${objects.length} /First ${header.length} /Filter /FlateDecode /Length LENGTH >>`,
      data
    );
  }

  /** A classic table for the objects written since the last section, then the trailer. */
  xrefTable(trailer: string): this {
    const nums = [...this.pending].sort((a, b) => a - b);
    this.pending = [];
    const at = this.offset;
    let text = 'xref\n0 1\n0000000000 65535 f\r\n';
    for (let i = 0; i < nums.length;) {
      let j = i;
      while (j + 1 < nums.length && nums[j + 1] === (nums[j] as number) + 1) j++;
      text += `${nums[i]} ${j - i + 1}\n`;
      for (let k = i; k <= j; k++)
        text += `${String(this.offsets.get(nums[k] as number)).padStart(10, '0')} 00000 n\r\n`;
      i = j + 1;
    }
    const prev = this.lastXref === undefined ? '' : ` /Prev ${this.lastXref}`;
    text += `trailer\n<< ${trailer}${prev} >>\nstartxref\n${at}\n%%EOF\n`;
    this.push(Buffer.from(text, 'latin1'));
    this.lastXref = at;
    return this;
  }

  /** A cross-reference stream (W [1 4 2], Flate, PNG Up predictor) for `entries`. */
  xrefStream(
    num: number,
    size: number,
    root: number,
    entries: Map<number, [number, number, number]>
  ): this {
    const at = this.offset;
    entries.set(num, [1, at, 0]);
    const rows: Buffer[] = [];
    let previous = Buffer.alloc(7);
    for (let n = 0; n < size; n++) {
      const [type, a, b] = entries.get(n) ?? [0, 0, 65535];
      const row = Buffer.alloc(7);
      row[0] = type;
      row.writeUInt32BE(a, 1);
      row.writeUInt16BE(b, 5);
      const up = Buffer.alloc(8);
      up[0] = 2;
      for (let i = 0; i < 7; i++) up[i + 1] = ((row[i] as number) - (previous[i] as number)) & 0xff;
      rows.push(up);
      previous = row;
    }
    const data = zlib.deflateSync(Buffer.concat(rows));
    this.offsets.set(num, at);
    this.push(
      Buffer.from(
        `${num} 0 obj\n<< /Type /XRef /Size ${size} /Root ${root} 0 R /W [1 4 2] /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >> /Length ${data.length} >>\nstream\n`,
        'latin1'
      )
    );
    this.push(data);
    this.push(Buffer.from(`\nendstream\nendobj\nstartxref\n${at}\n%%EOF\n`, 'latin1'));
    return this;
  }

  offsetOf(num: number): number {
    return this.offsets.get(num) as number;
  }

  /** The vector: hex for what was written here, an insertSlice edit per fixture slice. */
  vector(): Pick<MediaVector, 'hex' | 'edits'> {
    let hexText = '';
    const edits: MediaVector['edits'] = [];
    let offset = 0;
    for (const part of this.parts) {
      if (Buffer.isBuffer(part)) hexText += part.toString('hex');
      else edits.push({ op: 'insertSlice', at: offset, ...part });
      offset += part.length;
    }
    return { hex: hexText, edits };
  }
}

const c2paSpec = (ef: number) =>
  `<< /Type /Filespec /F (manifest.c2pa) /UF (manifest.c2pa) /AFRelationship /C2PA_Manifest /EF << /F ${ef} 0 R >> >>`;
const c2paFile = '<< /Type /EmbeddedFile /Subtype /application#2Fc2pa /Length LENGTH >>';
const cjpgStore: Slice = { from: 'SdgMedia_C2PA_Jpeg', start: storeStart, length: storeLength };
// video1.mp4's manifest store (no AI declaration): its C2PA uuid box at 24 holds, after the box
// header, the UUID, version and flags, the purpose "manifest" and an 8-byte offset.
const mp4StoreStart = 24 + 8 + 16 + 4 + 'manifest\0'.length + 8;
const mp4Store: Slice = {
  from: 'SdgMedia_C2PA_Mp4',
  start: mp4StoreStart,
  length: 24 + mp4.readUInt32BE(24) - mp4StoreStart
};
// Page content stand-ins that put the manifest far from the start: whole small fixtures (the
// Apex run keeps every hex-only vector's fixtures in one Queueable's heap, so not the 2 MB PNG).
const filler: Slice = {
  from: 'SdgMedia_C2PA_Jpeg_Ingredient',
  start: 0,
  length: fixtureBytes('SdgMedia_C2PA_Jpeg_Ingredient').length
};
const filler2: Slice = {
  from: 'SdgMedia_Plain_Jpeg',
  start: 0,
  length: fixtureBytes('SdgMedia_Plain_Jpeg').length
};

// Revision 1 embeds video1.mp4's manifest store (no AI declaration) far into the file (after 228 KB of
// page content); revision 2, an incremental update, replaces the file specification's embedded
// file with C.jpg's store (algorithmicMedia). Only the newest cross-reference entry counts.
const incremental = new PdfWriter()
  .object(1, '<< /Type /Catalog /Pages 2 0 R /AF [4 0 R] >>')
  .object(2, '<< /Type /Pages /Kids [] /Count 0 >>')
  .stream(3, '<< /Length LENGTH >>', filler)
  .stream(7, '<< /Length LENGTH >>', filler2)
  .object(4, c2paSpec(5))
  .stream(5, c2paFile, mp4Store)
  .xrefTable('/Size 8 /Root 1 0 R')
  .object(4, c2paSpec(6))
  .stream(6, c2paFile, cjpgStore)
  .xrefTable('/Size 8 /Root 1 0 R')
  .vector();

// PDF 1.5: the catalog and the file specification live in a Flate object stream, indexed by a
// compressed cross-reference stream; the embedded file itself is Flate-compressed.
const cjpgStoreBytes = cjpg.subarray(storeStart, storeStart + storeLength);
const compressedStore = zlib.deflateSync(cjpgStoreBytes);
const objstm = new PdfWriter('1.5')
  .stream(5, '<< /Length LENGTH >>', filler)
  .stream(8, '<< /Length LENGTH >>', filler2)
  .objectStream(3, [
    [1, '<< /Type /Catalog /Pages 2 0 R /AF [4 0 R] >>'],
    [2, '<< /Type /Pages /Kids [] /Count 0 >>'],
    [4, c2paSpec(6)]
  ])
  .stream(
    6,
    '<< /Type /EmbeddedFile /Subtype /application#2Fc2pa /Filter /FlateDecode /Length LENGTH >>',
    compressedStore
  );
const objstmVector = objstm
  .xrefStream(
    7,
    9,
    1,
    new Map<number, [number, number, number]>([
      [1, [2, 3, 0]],
      [2, [2, 3, 1]],
      [3, [1, objstm.offsetOf(3), 0]],
      [4, [2, 3, 2]],
      [5, [1, objstm.offsetOf(5), 0]],
      [6, [1, objstm.offsetOf(6), 0]],
      [8, [1, objstm.offsetOf(8), 0]]
    ])
  )
  .vector();

// The other formats c2pa-rs reads, each built around C.jpg's manifest store as the C2PA
// specification places it. Where the store lies whole in the file it stays a slice of C.jpg
// (the shared file stays small for the Apex run, which loads it in every Queueable).
const store = cjpg.subarray(storeStart, storeStart + storeLength);
const sliced = (fullHex: string): Pick<MediaVector, 'hex' | 'edits'> => {
  const storeHex = store.toString('hex');
  const at = fullHex.indexOf(storeHex);
  if (at < 0 || at % 2) throw new Error('store not found whole in the built file');
  return {
    hex: fullHex.slice(0, at) + fullHex.slice(at + storeHex.length),
    edits: [{ op: 'insertSlice', at: at / 2, ...cjpgStore }]
  };
};
const le16 = (n: number) => Buffer.from(Uint16Array.of(n).buffer).toString('hex');
const riff = (form: string, chunks: [string, Buffer][]) => {
  const body = chunks.map(([id, data]) =>
    Buffer.concat([
      Buffer.from(id, 'latin1'),
      Buffer.from(le32(data.length), 'hex'),
      data,
      Buffer.alloc(data.length & 1)
    ])
  );
  const inner = Buffer.concat([Buffer.from(form, 'latin1'), ...body]);
  return Buffer.concat([
    Buffer.from('RIFF', 'latin1'),
    Buffer.from(le32(inner.length), 'hex'),
    inner
  ]).toString('hex');
};
const wavFmt = Buffer.from('01000100401f0000803e000002001000', 'hex'); // PCM mono 8 kHz 16-bit
const aiXmp = xmpPacket(
  '<Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia</Iptc4xmpExt:DigitalSourceType>'
);
// TIFF, little-endian: IFD0 at 8 with ImageWidth and the C2PA tag (UNDEFINED) pointing at 38.
const tiff =
  hex('II*\0') +
  le32(8) +
  le16(2) +
  le16(256) +
  le16(3) +
  le32(1) +
  le32(1) +
  le16(0xcd41) +
  le16(7) +
  le32(store.length) +
  le32(38) +
  le32(0) +
  store.toString('hex');
// GIF89a 1x1, no colour table; the C2PA_GIF application extension's sub-blocks hold the store.
const subBlocks = (data: Buffer) => {
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; at += 255) {
    const piece = data.subarray(at, at + 255);
    parts.push(Buffer.from([piece.length]), piece);
  }
  return Buffer.concat([...parts, Buffer.from([0])]).toString('hex');
};
const gifHead = hex('GIF89a') + '0100010000' + '0000';
const gifImage = '2c000000000100010000' + '02' + '024401' + '00' + '3b';
const gifC2pa = gifHead + '21ff0b' + hex('C2PA_GIF') + '010000' + subBlocks(store) + gifImage;
const svg = (metadata: string) =>
  hex(
    `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><metadata>${metadata}</metadata><rect width="1" height="1"/></svg>\n`
  );
// MP3: an ID3v2.4 tag with a GEOB frame (Latin-1; MIME, empty file name, description "c2pa").
const syncsafe = (n: number) =>
  [21, 14, 7, 0].map((shift) => ((n >> shift) & 0x7f).toString(16).padStart(2, '0')).join('');
const geob = Buffer.concat([
  Buffer.from('\0application/x-c2pa-manifest-store\0\0c2pa\0', 'latin1'),
  store
]);
const mp3 =
  hex('ID3') +
  '0400' +
  '00' +
  syncsafe(10 + geob.length) +
  hex('GEOB') +
  syncsafe(geob.length) +
  '0000' +
  geob.toString('hex') +
  'fffb9000' +
  '00'.repeat(32);
// JPEG XL container: signature box, ftyp, the store's own jumb box, a minimal codestream box.
const jxl =
  '0000000c4a584c200d0a870a' +
  u32(20) +
  hex('ftypjxl ') +
  u32(0) +
  hex('jxl ') +
  store.toString('hex') +
  u32(10) +
  hex('jxlc') +
  'ff0a';

const cases: Omit<MediaVector, 'expected'>[] = [
  {
    name: 'jpeg-c2pa-algorithmic',
    description: 'C.jpg as published: APP11 manifest store, actions declare algorithmicMedia.',
    resource: 'SdgMedia_C2PA_Jpeg'
  },
  {
    name: 'jpeg-c2pa-ingredient',
    description:
      'CA.jpg as published: manifest with an ingredient (unsigned A.jpg) and no digital source type.',
    resource: 'SdgMedia_C2PA_Jpeg_Ingredient'
  },
  {
    name: 'jpeg-plain',
    description: 'IMG_0003.jpg: a camera JPEG with no provenance.',
    resource: 'SdgMedia_Plain_Jpeg'
  },
  {
    name: 'png-firefly',
    description:
      'firefly_gemini.png: caBX manifest store declaring trainedAlgorithmicMedia, generator Adobe Firefly.',
    resource: 'SdgMedia_C2PA_Png_Firefly'
  },
  {
    name: 'mp4-c2pa',
    description: 'video1.mp4: C2PA uuid box and XMP dcterms:provenance pointing at it.',
    resource: 'SdgMedia_C2PA_Mp4'
  },
  { name: 'webp-plain', description: 'test.webp: a plain WebP.', resource: 'SdgMedia_Plain_Webp' },
  {
    name: 'pdf-plain',
    description: 'basic.pdf: a plain PDF (xref streams, compressed metadata).',
    resource: 'SdgMedia_Plain_Pdf'
  },
  {
    name: 'jpeg-manifest-removed',
    description:
      'C.jpg with its APP11 segment cut out: nothing left to find, which proves nothing.',
    resource: 'SdgMedia_C2PA_Jpeg',
    // The APP11 marker becomes a comment (COM) marker: same length, no manifest.
    edits: [{ op: 'overwrite', at: 20, hex: 'fffe' }]
  },
  {
    name: 'mp4-manifest-stripped',
    description:
      'video1.mp4 with the C2PA uuid box renamed free (a removal that keeps offsets): its XMP still points at self#jumbf.',
    resource: 'SdgMedia_C2PA_Mp4',
    edits: [{ op: 'overwrite', at: 28, hex: hex('free') }]
  },
  {
    name: 'mp4-remote-manifest',
    description:
      'video1.mp4 without its uuid box and with dcterms:provenance rewritten to an https URL of the same length.',
    resource: 'SdgMedia_C2PA_Mp4',
    edits: [
      { op: 'overwrite', at: 28, hex: hex('free') },
      { op: 'overwrite', at: selfRef, hex: hex('https://m.example.com/') }
    ]
  },
  {
    name: 'jpeg-xmp-ai-no-manifest',
    description:
      'IMG_0003.jpg with an APP1 XMP packet declaring Iptc4xmpExt:DigitalSourceType trainedAlgorithmicMedia as an element.',
    resource: 'SdgMedia_Plain_Jpeg',
    edits: [
      {
        op: 'insert',
        at: 2,
        hex: app1Xmp(
          '<Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia</Iptc4xmpExt:DigitalSourceType>'
        )
      }
    ]
  },
  {
    name: 'jpeg-xmp-stripped',
    description:
      'IMG_0003.jpg with XMP whose dcterms:provenance (attribute form) names an embedded manifest that is not there.',
    resource: 'SdgMedia_Plain_Jpeg',
    edits: [
      {
        op: 'insert',
        at: 2,
        hex: app1Xmp('')
          .replace(
            hex('rdf:about=""'),
            hex('rdf:about="" dcterms:provenance="self#jumbf=/c2pa/urn:uuid:0f3a"')
          )
          .replace(
            /^ffe1..../,
            (h) =>
              'ffe1' +
              u16(
                parseInt(h.slice(4), 16) +
                  'dcterms:provenance="self#jumbf=/c2pa/urn:uuid:0f3a" '.length
              )
          )
      }
    ]
  },
  {
    name: 'jpeg-xmp-mentions-c2pa',
    description:
      'IMG_0003.jpg with XMP whose description merely mentions c2pa and self#jumbf: text is not a manifest.',
    resource: 'SdgMedia_Plain_Jpeg',
    edits: [
      {
        op: 'insert',
        at: 2,
        hex: app1Xmp(
          '<dc:description>c2pa manifest self#jumbf=/c2pa trainedAlgorithmicMedia</dc:description>'
        )
      }
    ]
  },
  {
    name: 'webp-c2pa-chunk',
    description:
      'test.webp with a C2PA chunk holding the manifest store of C.jpg, RIFF size updated.',
    resource: 'SdgMedia_Plain_Webp',
    edits: [
      {
        op: 'overwrite',
        at: 4,
        hex: le32(webp.readUInt32LE(4) + 8 + storeLength + (storeLength & 1))
      },
      {
        op: 'insert',
        at: webp.length,
        hex: hex('C2PA') + le32(storeLength)
      },
      {
        op: 'insertSlice',
        at: webp.length + 8,
        from: 'SdgMedia_C2PA_Jpeg',
        start: storeStart,
        length: storeLength
      },
      ...(storeLength & 1
        ? [{ op: 'insert' as const, at: webp.length + 8 + storeLength, hex: '00' }]
        : [])
    ]
  },
  {
    name: 'pdf-xmp-ai',
    description:
      'A small PDF whose uncompressed XMP metadata stream declares compositeWithTrainedAlgorithmicMedia (rdf:resource form).',
    ...pdf([
      '<< /Type /Catalog /Metadata 2 0 R >>',
      {
        dict: '<< /Type /Metadata /Subtype /XML /Length LENGTH >>',
        stream: Buffer.from(
          xmpPacket(
            '<Iptc4xmpExt:DigitalSourceType rdf:resource="http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"/>'
          ),
          'utf8'
        )
      }
    ])
  },
  {
    name: 'pdf-c2pa-embedded',
    description:
      "A small PDF with an associated file (AFRelationship C2PA_Manifest) whose embedded file stream is C.jpg's manifest store.",
    ...pdf([
      '<< /Type /Catalog /AF [2 0 R] >>',
      '<< /Type /Filespec /F (manifest.c2pa) /AFRelationship /C2PA_Manifest /EF << /F 3 0 R >> >>',
      {
        dict: '<< /Type /EmbeddedFile /Subtype /application#2Fc2pa /Length LENGTH >>',
        stream: { from: 'SdgMedia_C2PA_Jpeg', start: storeStart, length: storeLength }
      }
    ])
  },
  {
    name: 'pdf-indirect-length',
    description:
      'A small PDF whose XMP stream has an indirect /Length (12 0 R): the walk searches for endstream and reads the trainedAlgorithmicMedia XMP.',
    ...pdf([
      '<< /Type /Catalog /Metadata 2 0 R >>',
      {
        dict: '<< /Type /Metadata /Subtype /XML /Length 12 0 R >>',
        stream: Buffer.from(
          xmpPacket(
            '<Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia</Iptc4xmpExt:DigitalSourceType>'
          ),
          'utf8'
        )
      }
    ])
  },
  {
    name: 'pdf-incremental-update',
    description:
      "PDF whose first revision embeds video1.mp4's store (no AI) after 228 KB of content (CA.jpg and IMG_0003.jpg as filler streams) and whose incremental update points the C2PA file specification at C.jpg's store (algorithmicMedia): the xref table chain is followed, newest entry wins.",
    ...incremental
  },
  {
    name: 'pdf-object-stream',
    description:
      "PDF 1.5: catalog and C2PA file specification inside a Flate object stream, a compressed cross-reference stream (PNG Up predictor), and C.jpg's manifest store as a Flate-compressed embedded file after 228 KB of filler streams.",
    ...objstmVector
  },
  {
    name: 'pdf-af-missing-embedded-file',
    description:
      'PDF whose catalog /AF names a C2PA_Manifest file specification whose /EF /F object is not in any cross-reference section: unreadable, never no-marker.',
    ...new PdfWriter()
      .object(1, '<< /Type /Catalog /Pages 2 0 R /AF [3 0 R] >>')
      .object(2, '<< /Type /Pages /Kids [] /Count 0 >>')
      .object(3, c2paSpec(9))
      .xrefTable('/Size 4 /Root 1 0 R')
      .vector()
  },
  {
    name: 'pdf-c2pa-unknown-filter',
    description:
      "PDF whose C2PA embedded file declares /LZWDecode but holds C.jpg's store as is: read as stored, as c2pa-rs does (it applies no filter to the manifest).",
    ...new PdfWriter()
      .object(1, '<< /Type /Catalog /Pages 2 0 R /AF [3 0 R] >>')
      .object(2, '<< /Type /Pages /Kids [] /Count 0 >>')
      .object(3, c2paSpec(4))
      .stream(
        4,
        '<< /Type /EmbeddedFile /Subtype /application#2Fc2pa /Filter /LZWDecode /Length LENGTH >>',
        cjpgStore
      )
      .xrefTable('/Size 5 /Root 1 0 R')
      .vector()
  },
  {
    name: 'pdf-c2pa-undecodable',
    description:
      'PDF whose C2PA embedded file declares /LZWDecode and holds no JUMBF as stored (the first 2 KB of IMG_0003.jpg): unreadable, handed to --verify.',
    ...new PdfWriter()
      .object(1, '<< /Type /Catalog /Pages 2 0 R /AF [3 0 R] >>')
      .object(2, '<< /Type /Pages /Kids [] /Count 0 >>')
      .object(3, c2paSpec(4))
      .stream(
        4,
        '<< /Type /EmbeddedFile /Subtype /application#2Fc2pa /Filter /LZWDecode /Length LENGTH >>',
        { from: 'SdgMedia_Plain_Jpeg', start: 0, length: 2048 }
      )
      .xrefTable('/Size 5 /Root 1 0 R')
      .vector()
  },
  {
    name: 'pdf-embedded-files-name-tree',
    description:
      "PDF with no /AF whose /Names /EmbeddedFiles tree (one /Kids level) holds a file specification whose stream subtype is application/c2pa (C.jpg's store): not where the standard puts it nor where c2pa-rs looks, so unreadable (review), not no-marker.",
    ...new PdfWriter()
      .object(1, '<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> >>')
      .object(2, '<< /Type /Pages /Kids [] /Count 0 >>')
      .object(3, '<< /Kids [4 0 R] >>')
      .object(4, '<< /Limits [(a) (z)] /Names [(manifest.c2pa) 5 0 R] >>')
      .object(5, '<< /Type /Filespec /F (manifest.c2pa) /EF << /F 6 0 R >> >>')
      .stream(6, c2paFile, cjpgStore)
      .xrefTable('/Size 7 /Root 1 0 R')
      .vector()
  },
  {
    name: 'png-truncated',
    description: 'firefly_gemini.png cut inside its caBX chunk.',
    resource: 'SdgMedia_C2PA_Png_Firefly',
    edits: [{ op: 'truncate', length: cabx + 1000 }]
  },
  {
    name: 'png-lying-length',
    description: 'firefly_gemini.png whose caBX chunk claims 2 GB.',
    resource: 'SdgMedia_C2PA_Png_Firefly',
    edits: [{ op: 'overwrite', at: cabx, hex: '7ffffff0' }]
  },
  {
    name: 'mp4-box-smaller-than-header',
    description: 'video1.mp4 whose moov box declares 4 bytes.',
    resource: 'SdgMedia_C2PA_Mp4',
    edits: [{ op: 'overwrite', at: moov, hex: u32(4) }]
  },
  {
    name: 'mp4-box-past-end',
    description: 'video1.mp4 whose mdat box declares 4 GB.',
    resource: 'SdgMedia_C2PA_Mp4',
    edits: [{ op: 'overwrite', at: mdat, hex: 'fffffff0' }]
  },
  {
    name: 'jpeg-truncated',
    description: 'C.jpg cut inside its APP11 segment.',
    resource: 'SdgMedia_C2PA_Jpeg',
    edits: [{ op: 'truncate', length: 30000 }]
  },
  {
    name: 'jumbf-bad-superbox',
    description:
      "C.jpg whose manifest store's first child box claims more bytes than its superbox holds.",
    resource: 'SdgMedia_C2PA_Jpeg',
    edits: [{ op: 'overwrite', at: storeStart + 8 + 30, hex: 'ffffff00' }]
  },
  {
    name: 'gif-plain',
    description: 'A plain 1x1 GIF89a: no marker (the in-org scan does not read GIF).',
    hex: gifHead + gifImage
  },
  {
    name: 'gif-c2pa',
    description:
      "GIF89a whose C2PA_GIF application extension holds C.jpg's store in 255-byte sub-blocks.",
    hex: gifC2pa
  },
  {
    name: 'tiff-c2pa',
    description: "Little-endian TIFF whose IFD0 tag 52545 (0xCD41, UNDEFINED) holds C.jpg's store.",
    ...sliced(tiff)
  },
  {
    name: 'wav-c2pa',
    description: "WAV (RIFF WAVE): fmt, a C2PA chunk holding C.jpg's store, an empty data chunk.",
    ...sliced(
      riff('WAVE', [
        ['fmt ', wavFmt],
        ['C2PA', store],
        ['data', Buffer.alloc(0)]
      ])
    )
  },
  {
    name: 'avi-xmp-ai',
    description:
      'AVI (RIFF AVI) whose _PMX chunk is XMP declaring trainedAlgorithmicMedia, no manifest.',
    hex: riff('AVI ', [
      ['_PMX', Buffer.from(aiXmp, 'utf8')],
      ['LIST', Buffer.from('movi', 'latin1')]
    ])
  },
  {
    name: 'svg-c2pa',
    description:
      "SVG whose metadata holds a c2pa:manifest element (namespace http://c2pa.org/manifest) with C.jpg's store in Base64.",
    hex: svg(
      `<c2pa:manifest xmlns:c2pa="http://c2pa.org/manifest">${store.toString('base64')}</c2pa:manifest>`
    )
  },
  {
    name: 'svg-xmp-stripped',
    description:
      'SVG whose metadata is an XMP packet with dcterms:provenance self#jumbf and no manifest: stripped.',
    hex: svg(xmpPacket('<dcterms:provenance>self#jumbf=/c2pa/urn:uuid:0f3a</dcterms:provenance>'))
  },
  {
    name: 'mp3-c2pa',
    description:
      "MP3: an ID3v2.4 GEOB frame of MIME type application/x-c2pa-manifest-store holding C.jpg's store, then one MPEG frame header.",
    ...sliced(mp3)
  },
  {
    name: 'jxl-c2pa',
    description:
      "JPEG XL container: signature, ftyp, C.jpg's store as a top-level jumb box, a codestream box.",
    ...sliced(jxl)
  },
  {
    name: 'text-unsupported',
    description: 'A plain text file: no format C2PA defines an embedding for.',
    hex: hex('just some notes, not media\n')
  },
  { name: 'empty-file', description: 'Zero bytes.', hex: '' }
];

const vectors: MediaVector[] = cases.map((c) => {
  const expected = expectationOf(scanBuffer(vectorBytes(c)));
  const inOrg = expectationOf(scanBuffer(vectorBytes(c), { inOrg: true }));
  if (JSON.stringify(inOrg) === JSON.stringify(expected)) return { ...c, expected };
  return {
    ...c,
    expected,
    apexExpected: inOrg,
    apexWhy:
      expected.format === 'pdf'
        ? 'MediaPdf walks objects in file order and decodes no Flate: only the cross-reference data (sdg scan) can say which embedded file is current.'
        : 'The in-org scan reads JPEG, PNG, WebP, ISO BMFF and PDF; sdg scan reads this format (sdg scan --target-org for org files).'
  };
});
fs.writeFileSync(
  MEDIA_VECTORS_PATH,
  JSON.stringify(
    {
      description:
        'Shared media scanner vectors: MediaProvenanceScannerTest (Apex) and media-provenance-scanner.test.ts run every one.',
      vectors
    },
    null,
    2
  ) + '\n'
);
for (const v of vectors)
  console.log(
    v.name.padEnd(28),
    JSON.stringify(v.expected),
    v.apexExpected ? `apex: ${v.apexExpected.verdict}` : ''
  );

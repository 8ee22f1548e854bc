// Writes force-app/test/media/staticresources/MediaScanVectors.json: the shared media scanner
// cases, each a real fixture (or bytes built here) with byte-level edits that say how a
// stripped, remote, malformed or re-packaged variant was made. Expectations are taken from the
// TypeScript scanner and then reviewed by hand against each file's structure (see
// docs/media-scanner.md); the Apex and TypeScript tests both hold the scanners to them.
// Run: node --import tsx scripts/test/make-media-vectors.ts
import fs from 'node:fs';
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
    name: 'gif-unsupported',
    description: 'A GIF header: not a format that carries C2PA here.',
    hex:
      hex('GIF89a') + '01000100800000ffffff00000021f90401000000002c00000000010001000002024401003b'
  },
  { name: 'empty-file', description: 'Zero bytes.', hex: '' }
];

const vectors: MediaVector[] = cases.map((c) => {
  return { ...c, expected: expectationOf(scanBuffer(vectorBytes(c))) };
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
for (const v of vectors) console.log(v.name.padEnd(28), JSON.stringify(v.expected));

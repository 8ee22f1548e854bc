import { ByteSource, MalformedMediaError } from './byte-source';
import { ContainerFindings } from './containers';

const MAX_STRUCTURES = 100_000;
const C2PA_TIFF_TAG = 0xcd41; // 52545
const XMP_TIFF_TAG = 700;
const C2PA_GEOB_MIME = 'application/x-c2pa-manifest-store';
const SVG_C2PA_NS = 'http://c2pa.org/manifest';

const guard = () => {
  let n = 0;
  return () => {
    if (++n > MAX_STRUCTURES)
      throw new MalformedMediaError(`more than ${MAX_STRUCTURES} blocks, tags or frames`);
  };
};

/**
 * RIFF (WebP, AVI, WAV): walks the top-level chunks; a `C2PA` chunk is the manifest store (as
 * c2pa-rs's RIFF handler writes it for all three), `XMP ` (WebP) or `_PMX` (WAV, AVI) XMP.
 */
export function walkRiff(src: ByteSource): ContainerFindings {
  const form = src.read(8, 4).toString('latin1');
  const format =
    form === 'WEBP' ? 'webp' : form === 'WAVE' ? 'wav' : form === 'AVI ' ? 'avi' : 'riff';
  const found: ContainerFindings = { format, xmp: [], notes: [] };
  const riff = src.read(4, 4).readUInt32LE(0);
  const end = riff + 8;
  if (end > src.size)
    throw new MalformedMediaError(`RIFF declares ${riff + 8} bytes; the file has ${src.size}`);
  const tick = guard();
  let pos = 12;
  while (pos + 8 <= end) {
    tick();
    const head = src.read(pos, 8);
    const type = head.toString('latin1', 0, 4);
    const length = head.readUInt32LE(4);
    if (pos + 8 + length > end)
      throw new MalformedMediaError(
        `${format === 'webp' ? 'WebP' : 'RIFF'} chunk '${type}' at byte ${pos} runs past the end of the file`
      );
    if (type === 'C2PA' && !found.manifestStore) found.manifestStore = src.read(pos + 8, length);
    else if (type === 'XMP ' || type === '_PMX')
      found.xmp.push(src.read(pos + 8, length).toString('utf8'));
    pos += 8 + length + (length & 1);
  }
  return found;
}

/**
 * TIFF and DNG: reads IFD0's entries; tag 52545 (0xCD41) holds the manifest store, tag 700 XMP.
 * Only the two tags' values are read, never the image strips.
 */
export function walkTiff(src: ByteSource): ContainerFindings {
  const found: ContainerFindings = { format: 'tiff', xmp: [], notes: [] };
  const head = src.read(0, 8);
  const le = head.toString('latin1', 0, 2) === 'II';
  const u16 = (b: Buffer, at: number) => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (b: Buffer, at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const ifd = u32(head, 4);
  const count = u16(src.read(ifd, 2), 0);
  const entries = src.read(ifd + 2, count * 12);
  for (let i = 0; i < count; i++) {
    const tag = u16(entries, i * 12);
    if (tag !== C2PA_TIFF_TAG && tag !== XMP_TIFF_TAG) continue;
    const n = u32(entries, i * 12 + 4);
    const type = u16(entries, i * 12 + 2);
    const unit = type === 3 ? 2 : type === 4 ? 4 : 1; // BYTE, ASCII, UNDEFINED: 1
    const length = n * unit;
    const bytes =
      length <= 4
        ? entries.subarray(i * 12 + 8, i * 12 + 8 + length)
        : src.read(u32(entries, i * 12 + 8), length);
    if (tag === C2PA_TIFF_TAG) found.manifestStore ??= Buffer.from(bytes);
    else found.xmp.push(bytes.toString('utf8'));
  }
  return found;
}

/**
 * GIF: walks the blocks to the trailer, seeking over image data sub-block by sub-block. An
 * Application Extension "C2PA_GIF" holds the manifest store in its sub-blocks; "XMP DataXMP"
 * holds XMP (its sub-block lengths are part of the packet, then a "magic trailer").
 */
export function walkGif(src: ByteSource): ContainerFindings {
  const found: ContainerFindings = { format: 'gif', xmp: [], notes: [] };
  const screen = src.read(6, 7);
  const flags = screen[4] as number;
  let pos = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0);
  const tick = guard();
  const subBlocks = (start: number, keep: boolean): [Buffer[], number] => {
    const parts: Buffer[] = [];
    let at = start;
    for (;;) {
      tick();
      const size = src.read(at, 1)[0] as number;
      if (size === 0) return [parts, at + 1];
      if (keep) parts.push(src.read(at + 1, size));
      at += 1 + size;
    }
  };
  while (pos < src.size) {
    tick();
    const introducer = src.read(pos, 1)[0];
    if (introducer === 0x3b) break;
    if (introducer === 0x2c) {
      const descriptor = src.read(pos + 1, 9);
      const local = descriptor[8] as number;
      pos += 10 + (local & 0x80 ? 3 * 2 ** ((local & 7) + 1) : 0) + 1; // + LZW minimum code size
      pos = subBlocks(pos, false)[1];
      continue;
    }
    if (introducer !== 0x21) throw new MalformedMediaError(`unknown GIF block at byte ${pos}`);
    const label = src.read(pos + 1, 1)[0];
    if (label === 0xff) {
      const size = src.read(pos + 2, 1)[0] as number;
      const id = src.read(pos + 3, size).toString('latin1');
      const isC2pa = id.startsWith('C2PA_GIF');
      const isXmp = id === 'XMP DataXMP';
      const [parts, next] = subBlocks(pos + 3 + size, isC2pa || isXmp);
      if (isC2pa) found.manifestStore ??= Buffer.concat(parts);
      else if (isXmp) {
        // XMP's sub-block lengths are packet bytes: rebuild the raw run, drop the magic trailer.
        const raw = src.read(pos + 3 + size, next - (pos + 3 + size)).toString('utf8');
        const end = raw.lastIndexOf('<?xpacket end=');
        found.xmp.push(end >= 0 ? raw.slice(0, raw.indexOf('>', end) + 1) : raw);
      }
      pos = next;
    } else pos = subBlocks(pos + 2, false)[1];
  }
  return found;
}

/**
 * SVG: the document is its metadata. A `manifest` element in the C2PA namespace holds the
 * manifest store in Base64; the whole document is given to the XMP reader, which finds the
 * IPTC and dcterms properties by namespace wherever they are.
 */
export function walkSvg(src: ByteSource): ContainerFindings {
  const found: ContainerFindings = { format: 'svg', xmp: [], notes: [] };
  const text = src.read(0, src.size).toString('utf8');
  const prefix = new RegExp(`xmlns:([A-Za-z_][\\w.-]*)\\s*=\\s*["']${SVG_C2PA_NS}["']`).exec(
    text
  )?.[1];
  if (prefix) {
    const element = new RegExp(`<${prefix}:manifest\\b[^>]*>([^<]*)</${prefix}:manifest>`).exec(
      text
    );
    if (element?.[1]) found.manifestStore = Buffer.from(element[1].replace(/\s/g, ''), 'base64');
    else found.unreadableManifest = 'SVG declares the C2PA namespace without a manifest element';
  }
  found.xmp.push(text);
  return found;
}

const syncsafe = (b: Buffer, at: number) =>
  ((b[at] as number) << 21) |
  ((b[at + 1] as number) << 14) |
  ((b[at + 2] as number) << 7) |
  (b[at + 3] as number);

/**
 * MP3: reads the ID3v2 tag at the start; a GEOB frame of MIME type
 * application/x-c2pa-manifest-store holds the manifest store, a PRIV frame owned by "XMP" XMP.
 * The audio frames after the tag are never read.
 */
export function walkMp3(src: ByteSource): ContainerFindings {
  const found: ContainerFindings = { format: 'mp3', xmp: [], notes: [] };
  const header = src.read(0, 10);
  if (header.toString('latin1', 0, 3) !== 'ID3') return found;
  const version = header[3] as number;
  const end = 10 + syncsafe(header, 6);
  if (end > src.size) throw new MalformedMediaError('ID3 tag runs past the end of the file');
  if (version < 3) {
    found.notes.push(`ID3v2.${version} tag not read`);
    return found;
  }
  const tick = guard();
  let pos = 10;
  while (pos + 10 <= end) {
    tick();
    const frame = src.read(pos, 10);
    const id = frame.toString('latin1', 0, 4);
    if (!/^[A-Z0-9]{4}$/.test(id)) break; // padding
    const size = version === 4 ? syncsafe(frame, 4) : frame.readUInt32BE(4);
    if (pos + 10 + size > end)
      throw new MalformedMediaError(`ID3 frame ${id} at byte ${pos} runs past the tag`);
    if (id === 'GEOB' || id === 'PRIV') {
      const body = src.read(pos + 10, size);
      if (id === 'PRIV') {
        const nul = body.indexOf(0);
        if (body.toString('latin1', 0, nul) === 'XMP')
          found.xmp.push(body.toString('utf8', nul + 1));
      } else {
        const store = geobData(body);
        if (store) found.manifestStore ??= store;
      }
    }
    pos += 10 + size;
  }
  return found;
}

function geobData(body: Buffer): Buffer | undefined {
  const encoding = body[0] as number;
  const mimeEnd = body.indexOf(0, 1);
  if (mimeEnd < 0 || body.toString('latin1', 1, mimeEnd) !== C2PA_GEOB_MIME) return undefined;
  // file name and description: NUL-terminated, two NULs (aligned) in UTF-16 encodings
  let at = mimeEnd + 1;
  for (let field = 0; field < 2; field++) {
    if (encoding === 1 || encoding === 2) {
      while (at + 1 < body.length && (body[at] !== 0 || body[at + 1] !== 0)) at += 2;
      at += 2;
    } else {
      const nul = body.indexOf(0, at);
      if (nul < 0) throw new MalformedMediaError('ID3 GEOB frame fields are not terminated');
      at = nul + 1;
    }
  }
  return body.subarray(at);
}

/**
 * JPEG XL: in the ISO BMFF-style container, a top-level `jumb` box labelled c2pa is the
 * manifest store (the box itself), an `xml ` box XMP. A bare codestream carries no metadata.
 */
export function walkJxl(src: ByteSource): ContainerFindings {
  const found: ContainerFindings = { format: 'jxl', xmp: [], notes: [] };
  if (src.read(0, 2).equals(Buffer.from([0xff, 0x0a]))) return found;
  const tick = guard();
  let pos = 0;
  while (pos < src.size) {
    tick();
    if (src.size - pos < 8) throw new MalformedMediaError(`JPEG XL box header cut short at ${pos}`);
    const head = src.read(pos, 8);
    let size = head.readUInt32BE(0);
    const type = head.toString('latin1', 4, 8);
    let header = 8;
    if (size === 1) {
      size = Number(src.read(pos + 8, 8).readBigUInt64BE(0));
      header = 16;
    } else if (size === 0) size = src.size - pos;
    if (size < header || pos + size > src.size)
      throw new MalformedMediaError(`JPEG XL box '${type}' at byte ${pos} has size ${size}`);
    if (type === 'jumb' && !found.manifestStore) {
      const store = src.read(pos, size);
      if (store.includes('c2pa\0', header + 8, 'latin1')) found.manifestStore = store;
    } else if (type === 'xml ')
      found.xmp.push(src.read(pos + header, size - header).toString('utf8'));
    pos += size;
  }
  return found;
}

import { ByteSource, MalformedMediaError } from './byte-source';

/** What a container walk found: manifest store bytes, XMP packets, and notes on what it skipped. */
export interface ContainerFindings {
  format: string;
  manifestStore?: Buffer;
  /**
   * Why a C2PA reference the walk saw could not be read (a file specification without its
   * stream, a filter not decoded, a store in a form not parsed): the verdict is `unreadable`.
   */
  unreadableManifest?: string;
  xmp: string[];
  notes: string[];
}

/** The C2PA manifest-store UUID of ISO BMFF `uuid` boxes, and the XMP one. */
const C2PA_UUID = 'd8fec3d61b0e483c92975828877ec481';
const XMP_UUID = 'be7acfcb97a942e89c71999491e3afac';
const XMP_JPEG = 'http://ns.adobe.com/xap/1.0/\0';
const MAX_STRUCTURES = 100_000;

const counter = () => {
  let n = 0;
  return () => {
    if (++n > MAX_STRUCTURES)
      throw new MalformedMediaError(`more than ${MAX_STRUCTURES} segments, chunks or boxes`);
  };
};

/**
 * JPEG: walks the marker segments up to the start of scan (the image data is never read).
 * APP11 segments carrying JUMBF ("JP") are joined per box instance in sequence order, each
 * continuation dropping its repeated box header (ISO/IEC 19566-5); APP1 carries XMP.
 */
export function walkJpeg(src: ByteSource): ContainerFindings {
  const found: ContainerFindings = { format: 'jpeg', xmp: [], notes: [] };
  const parts = new Map<number, { seq: number; bytes: Buffer }[]>();
  const tick = counter();
  let pos = 2;
  for (;;) {
    tick();
    const marker = src.read(pos, 2);
    if (marker[0] !== 0xff) throw new MalformedMediaError(`expected a JPEG marker at byte ${pos}`);
    const code = marker[1] ?? 0;
    if (code === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    if (code === 0xd9 || code === 0xda) break; // end of image, or start of scan: metadata is over
    if (code === 0x01 || (code >= 0xd0 && code <= 0xd7)) {
      pos += 2;
      continue;
    }
    const length = src.read(pos + 2, 2).readUInt16BE(0);
    if (length < 2)
      throw new MalformedMediaError(`JPEG segment at byte ${pos} has length ${length}`);
    if (pos + 2 + length > src.size)
      throw new MalformedMediaError(`JPEG segment at byte ${pos} runs past the end of the file`);
    if (code === 0xeb && length >= 18) {
      const head = src.read(pos + 4, 8);
      if (head.toString('latin1', 0, 2) === 'JP') {
        const instance = head.readUInt16BE(2);
        const seq = head.readUInt32BE(4);
        const payload = src.read(pos + 12, length - 10);
        const list = parts.get(instance) ?? [];
        list.push({ seq, bytes: payload });
        parts.set(instance, list);
      }
    } else if (code === 0xe1 && length > 2 + XMP_JPEG.length) {
      const head = src.read(pos + 4, XMP_JPEG.length).toString('latin1');
      if (head === XMP_JPEG)
        found.xmp.push(
          src.read(pos + 4 + XMP_JPEG.length, length - 2 - XMP_JPEG.length).toString('utf8')
        );
    }
    pos += 2 + length;
  }
  for (const list of parts.values()) {
    list.sort((a, b) => a.seq - b.seq);
    const [first, ...rest] = list;
    if (!first) continue;
    const chunks = [first.bytes];
    for (const part of rest) {
      const header = part.bytes.length >= 8 && part.bytes.readUInt32BE(0) === 1 ? 16 : 8;
      chunks.push(part.bytes.subarray(header));
    }
    const store = Buffer.concat(chunks);
    if (store.toString('latin1', 4, 8) === 'jumb' && isC2paStore(store)) {
      found.manifestStore = store;
      break;
    }
  }
  return found;
}

/** True when a JUMBF superbox's description box has the C2PA label. */
function isC2paStore(store: Buffer): boolean {
  const header = store.readUInt32BE(0) === 1 ? 16 : 8;
  const label = store.subarray(header + 8 + 17, header + 8 + 22);
  return (
    store.toString('latin1', header + 4, header + 8) === 'jumd' &&
    label.toString('latin1') === 'c2pa\0'
  );
}

/** PNG: walks the chunks to IEND, seeking over IDAT; `caBX` is the manifest store, iTXt XMP. */
export function walkPng(src: ByteSource): ContainerFindings {
  const found: ContainerFindings = { format: 'png', xmp: [], notes: [] };
  const tick = counter();
  let pos = 8;
  while (pos < src.size) {
    tick();
    const head = src.read(pos, 8);
    const length = head.readUInt32BE(0);
    const type = head.toString('latin1', 4, 8);
    if (length > 0x7fffffff)
      throw new MalformedMediaError(`PNG chunk ${type} at byte ${pos} declares ${length} bytes`);
    if (pos + 12 + length > src.size)
      throw new MalformedMediaError(
        `PNG chunk ${type} at byte ${pos} runs past the end of the file`
      );
    if (type === 'caBX' && !found.manifestStore) found.manifestStore = src.read(pos + 8, length);
    else if (type === 'iTXt') {
      const keyword = 'XML:com.adobe.xmp\0';
      if (
        length > keyword.length + 2 &&
        src.read(pos + 8, keyword.length).toString('latin1') === keyword
      ) {
        const data = src.read(pos + 8, length);
        if (data[keyword.length] !== 0) found.notes.push('compressed XMP (iTXt) not read');
        else {
          // keyword, compression flag and method, language tag, translated keyword, then text
          let at = keyword.length + 2;
          for (let nul = 0; nul < 2; nul++) {
            const end = data.indexOf(0, at);
            if (end < 0) throw new MalformedMediaError('PNG iTXt chunk header is not terminated');
            at = end + 1;
          }
          found.xmp.push(data.toString('utf8', at));
        }
      }
    }
    if (type === 'IEND') break;
    pos += 12 + length;
  }
  return found;
}

/**
 * ISO BMFF (MP4, MOV, HEIC, AVIF): walks the top-level boxes and moov/udta, seeking over mdat.
 * A `uuid` box with the C2PA UUID holds the manifest store (after its version, flags and purpose
 * string and a 64-bit offset); one with the XMP UUID, or udta/XMP_, holds XMP.
 */
export function walkBmff(src: ByteSource): ContainerFindings {
  const found: ContainerFindings = { format: 'bmff', xmp: [], notes: [] };
  const tick = counter();
  const walk = (start: number, end: number, depth: number) => {
    if (depth > 8) throw new MalformedMediaError('ISO BMFF boxes nested too deeply');
    let pos = start;
    while (pos < end) {
      tick();
      if (end - pos < 8)
        throw new MalformedMediaError(`ISO BMFF box header cut short at byte ${pos}`);
      const head = src.read(pos, 8);
      let size = head.readUInt32BE(0);
      const type = head.toString('latin1', 4, 8);
      let header = 8;
      if (size === 1) {
        const large = src.read(pos + 8, 8).readBigUInt64BE(0);
        if (large > BigInt(Number.MAX_SAFE_INTEGER))
          throw new MalformedMediaError(`box ${type} at byte ${pos} declares an impossible size`);
        size = Number(large);
        header = 16;
      } else if (size === 0) size = end - pos;
      if (size < header)
        throw new MalformedMediaError(
          `box '${type}' at byte ${pos} has size ${size}, smaller than its header`
        );
      if (pos + size > end)
        throw new MalformedMediaError(
          `box '${type}' at byte ${pos} runs past its container (${size} bytes declared)`
        );
      if (type === 'ftyp' && depth === 0) {
        const brand = src.read(pos + header, 4).toString('latin1');
        found.format = brandFormat(brand);
      } else if (type === 'uuid' && size >= header + 16) {
        const id = src.read(pos + header, 16).toString('hex');
        if (id === C2PA_UUID && !found.manifestStore)
          found.manifestStore = c2paUuidPayload(src, pos + header + 16, pos + size);
        else if (id === XMP_UUID)
          found.xmp.push(src.read(pos + header + 16, size - header - 16).toString('utf8'));
      } else if ((type === 'moov' || type === 'udta') && depth < 2)
        walk(pos + header, pos + size, depth + 1);
      else if (type === 'XMP_')
        found.xmp.push(src.read(pos + header, size - header).toString('utf8'));
      pos += size;
    }
  };
  walk(0, src.size, 0);
  return found;
}

function brandFormat(brand: string): string {
  if (brand === 'qt  ') return 'mov';
  if (/^(heic|heix|heim|heis|mif1|msf1)$/.test(brand)) return 'heic';
  if (/^avi[fs]$/.test(brand)) return 'avif';
  return 'mp4';
}

function c2paUuidPayload(src: ByteSource, start: number, end: number): Buffer | undefined {
  // version(1) flags(3) purpose (null-terminated) [merkle offset (8) when purpose is "manifest"]
  const fixed = src.read(start, Math.min(end - start, 64));
  const nul = fixed.indexOf(0, 4);
  if (nul < 0) throw new MalformedMediaError('C2PA uuid box purpose is not terminated');
  const purpose = fixed.toString('latin1', 4, nul);
  if (purpose !== 'manifest') return undefined;
  const at = start + nul + 1 + 8;
  return src.read(at, end - at);
}

import { ByteSource, MalformedMediaError } from './byte-source';
import { ContainerFindings } from './containers';

const FIRST_SPAN = 1024;
const WINDOW = 64 * 1024;
const MAX_OBJECTS = 100_000;

/**
 * Where a PDF object's dictionary ends: `>>` at depth 0, skipping literal strings and comments.
 * Returns -1 when the window ends first.
 */
function dictionaryEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '(') {
      let nest = 1;
      for (i++; i < text.length && nest > 0; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '(') nest++;
        else if (text[i] === ')') nest--;
      }
      i--;
    } else if (c === '%') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === '<' && text[i + 1] === '<') {
      depth++;
      i++;
    } else if (c === '>' && text[i + 1] === '>') {
      depth--;
      i++;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

const has = (dict: string, key: string, value: string) =>
  new RegExp(`/${key}\\s*/${value}(?![A-Za-z0-9#])`).test(dict);

/**
 * PDF: walks the file's top-level objects in order (every incremental update included), reading
 * each object's dictionary and seeking over stream data by its /Length. A C2PA manifest is an
 * embedded file of subtype application/c2pa (or a file specification whose AFRelationship is
 * C2PA_Manifest); XMP is a /Type /Metadata /Subtype /XML stream. Filtered (compressed) streams
 * and objects inside object streams are not decoded: the note says so.
 */
export function walkPdf(src: ByteSource): ContainerFindings {
  const found: ContainerFindings = { format: 'pdf', xmp: [], notes: [] };
  let pos = 0;
  let objects = 0;
  let manifestReferenced = false;
  // Objects are read in a small window that grows only for a large dictionary, so bytes read
  // stay near the size of the dictionaries.
  let span = FIRST_SPAN;
  // Consecutive windows overlap; the cache keeps the overlap from being read (and counted) twice.
  let cache: Buffer = Buffer.alloc(0);
  let cacheStart = 0;
  const view = (at: number, length: number): string => {
    const cacheEnd = cacheStart + cache.length;
    if (at >= cacheStart && at <= cacheEnd) {
      if (at + length > cacheEnd)
        cache = Buffer.concat([
          cache.subarray(at - cacheStart),
          src.read(cacheEnd, at + length - cacheEnd)
        ]);
      else cache = cache.subarray(at - cacheStart);
    } else cache = src.read(at, length);
    cacheStart = at;
    return cache.toString('latin1', 0, length);
  };
  const grow = () => span < WINDOW && pos + span < src.size && (span *= 4) > 0;
  while (pos < src.size) {
    const window = view(pos, Math.min(span, src.size - pos));
    const header = /^(?:\s|%[^\r\n]*[\r\n]+)*(\d+)\s+(\d+)\s+obj\b/.exec(window);
    if (!header) {
      const skip = /^(?:\s|%[^\r\n]*(?:[\r\n]+|$))+/.exec(window)?.[0].length ?? 0;
      if (skip > 0) {
        pos += skip;
        continue;
      }
      const keyword = /^(xref|trailer|startxref)\b/.exec(window)?.[1];
      if (!keyword) break; // anything else ends the walk: trailing garbage after the last %%EOF
      const next = window.search(/\d+\s+\d+\s+obj\b/);
      if (next < 0 && grow()) continue;
      if (next < 0) break;
      pos += next;
      continue;
    }
    if (++objects > MAX_OBJECTS)
      throw new MalformedMediaError(`more than ${MAX_OBJECTS} PDF objects`);
    let at = header[0].length;
    while (/\s/.test(window[at] ?? '')) at++;
    let dict = '';
    if (window.startsWith('<<', at)) {
      const end = dictionaryEnd(window, at);
      if (end < 0 && grow()) continue;
      if (end < 0)
        throw new MalformedMediaError(
          `PDF object at byte ${pos} has a dictionary over ${WINDOW} bytes or no end`
        );
      dict = window.slice(at, end);
      at = end;
    }
    const afterDict = /^\s*stream(\r\n|\n|\r)/.exec(window.slice(at, at + 16));
    const endobj = window.indexOf('endobj', at);
    if (!afterDict) {
      if (endobj < 0 && grow()) continue;
      if (endobj < 0) throw new MalformedMediaError(`PDF object at byte ${pos} has no endobj`);
      inspect(dict, undefined);
      pos += endobj + 6;
      span = FIRST_SPAN;
      continue;
    }
    const dataStart = pos + at + afterDict[0].length;
    // (?!\d) keeps the digits whole: without it "/Length 12 0 R" backtracks to a direct length 1.
    const length = /\/Length\s+(\d+)(?!\d)(?!\s+\d+\s+R)/.exec(dict)?.[1];
    let dataEnd: number;
    if (length !== undefined) dataEnd = dataStart + Number(length);
    else {
      found.notes.push('stream with an indirect /Length: searched for endstream');
      dataEnd = findEndstream(dataStart);
    }
    if (dataEnd > src.size)
      throw new MalformedMediaError(`PDF stream at byte ${pos} runs past the end of the file`);
    inspect(dict, { start: dataStart, end: dataEnd });
    const tail = src.read(dataEnd, Math.min(64, src.size - dataEnd)).toString('latin1');
    const close = /^\s*endstream\s*endobj/.exec(tail);
    if (!close)
      throw new MalformedMediaError(`PDF stream at byte ${pos}: /Length does not end at endstream`);
    pos = dataEnd + close[0].length;
    span = FIRST_SPAN;
  }
  if (manifestReferenced && !found.manifestStore)
    found.notes.push('C2PA manifest file specification without a readable embedded file');
  return found;

  // Searches through the window cache in windows that grow from FIRST_SPAN, so the walk reads
  // the stream once and little past its end (the next object's window reuses what it read).
  function findEndstream(start: number): number {
    for (
      let at = start, length = FIRST_SPAN;
      at < src.size;
      length = Math.min(length * 4, WINDOW)
    ) {
      const text = view(at, Math.min(length, src.size - at));
      const hit = text.indexOf('endstream');
      if (hit >= 0) return at + hit;
      if (at + text.length >= src.size) break;
      at += text.length - 16; // a keyword split across two windows is still found
    }
    throw new MalformedMediaError(`PDF stream at byte ${start} has no endstream`);
  }

  function inspect(dict: string, stream: { start: number; end: number } | undefined) {
    const filtered = /\/Filter\b/.test(dict);
    if (has(dict, 'AFRelationship', 'C2PA_Manifest')) manifestReferenced = true;
    if (stream && has(dict, 'Subtype', 'application#2Fc2pa')) {
      if (filtered) found.notes.push('compressed C2PA manifest stream not decoded');
      else found.manifestStore ??= src.read(stream.start, stream.end - stream.start);
    } else if (stream && has(dict, 'Type', 'Metadata') && has(dict, 'Subtype', 'XML')) {
      if (filtered) found.notes.push('compressed XMP metadata stream not read');
      else found.xmp.push(src.read(stream.start, stream.end - stream.start).toString('utf8'));
    }
  }
}

import { BufferSource, ByteSource, MalformedMediaError } from './byte-source';
import { ContainerFindings } from './containers';
import { PdfFilterError, PdfRef, PdfSyntaxError, PdfValue, isDict, nameOf } from './pdf-objects';
import { PdfDocument, PdfObject, PdfXrefError } from './pdf-xref';

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

const MAX_NAME_TREE_NODES = 10_000;
const SMALL_FILE = 64 * 1024;

/**
 * PDF: follows the cross-reference sections from the end of the file (tables and streams,
 * incremental updates, object streams) to the catalog, its XMP /Metadata and its associated
 * files (/AF, then the /EmbeddedFiles name tree, as c2pa-rs looks for them): the C2PA manifest
 * store is the embedded file of a file specification whose /AFRelationship is C2PA_Manifest or
 * whose stream /Subtype is application/c2pa. Bytes read grow with the objects followed, never
 * with where they lie. A file whose cross-reference data cannot be followed is walked object by
 * object in file order instead (what PDF readers do to repair a file).
 */
export function walkPdf(file: ByteSource): ContainerFindings {
  // A small file is read once: the cross-reference walk and the repair walk both look at it.
  const src = file.size <= SMALL_FILE ? new BufferSource(file.read(0, file.size)) : file;
  let doc: PdfDocument;
  try {
    doc = new PdfDocument(src);
    return walkCatalog(doc);
  } catch (error) {
    if (!(
      error instanceof PdfXrefError ||
      error instanceof PdfSyntaxError ||
      error instanceof PdfFilterError
    ))
      throw error;
    const found = walkPdfInOrder(src);
    found.notes.unshift(
      `cross-reference data not followed (${error.message}): objects walked in file order`
    );
    return found;
  }
}

function walkCatalog(doc: PdfDocument): ContainerFindings {
  const found: ContainerFindings = { format: 'pdf', xmp: [], notes: [] };
  const catalog = doc.value(doc.trailer.get('Root'));
  if (!isDict(catalog)) throw new PdfXrefError('the trailer has no /Root catalog');
  const metadata = catalog.get('Metadata');
  if (metadata instanceof PdfRef) {
    const object = doc.resolve(metadata);
    if (object?.stream)
      try {
        found.xmp.push(doc.streamData(object).toString('utf8'));
      } catch (error) {
        if (!(error instanceof PdfFilterError)) throw error;
        found.notes.push(`XMP metadata not read: ${error.message}`);
      }
  }
  const specs: PdfValue[] = [];
  const af = doc.value(catalog.get('AF'));
  if (Array.isArray(af)) specs.push(...af);
  const inAf = specs.length;
  const names = doc.value(catalog.get('Names'));
  if (isDict(names)) embeddedFileSpecs(doc, names.get('EmbeddedFiles'), specs);
  for (const [index, spec] of specs.entries()) {
    const stream = c2paStream(doc, spec);
    const c2pa = typeof stream === 'object' ? { object: stream, inAf: index < inAf } : stream;
    if (c2pa === undefined) continue;
    if (typeof c2pa === 'string') {
      found.unreadableManifest ??= c2pa;
      continue;
    }
    try {
      found.manifestStore = doc.streamData(c2pa.object);
    } catch (error) {
      if (!(error instanceof PdfFilterError)) throw error;
      // c2pa-rs reads the embedded file's bytes as they are: so does this, and says so.
      found.manifestStore = doc.rawStreamData(c2pa.object);
      found.notes.push(`${error.message}: manifest read as stored`);
    }
    if (!c2pa.inAf) {
      // Not where the standard puts it (the catalog's /AF), so not where c2pa-rs looks: a person decides.
      found.unreadableManifest =
        'C2PA embedded file only in the /EmbeddedFiles name tree, not in the catalog /AF';
      delete found.manifestStore;
    }
    break;
  }
  if (found.manifestStore) delete found.unreadableManifest;
  return found;
}

function embeddedFileSpecs(doc: PdfDocument, root: PdfValue | undefined, specs: PdfValue[]) {
  const queue = [root];
  for (let visited = 0; queue.length > 0 && visited < MAX_NAME_TREE_NODES; visited++) {
    const node = doc.value(queue.shift());
    if (!isDict(node)) continue;
    const kids = doc.value(node.get('Kids'));
    if (Array.isArray(kids)) queue.push(...kids);
    const pairs = doc.value(node.get('Names'));
    if (Array.isArray(pairs))
      for (let i = 1; i < pairs.length; i += 2) specs.push(pairs[i] as PdfValue);
  }
}

/**
 * The C2PA embedded-file stream a file specification points at; a string saying why when the
 * specification is C2PA's but its stream cannot be had; undefined when it is not C2PA's.
 */
function c2paStream(doc: PdfDocument, specRef: PdfValue): PdfObject | string | undefined {
  const spec = doc.value(specRef);
  if (!isDict(spec)) return undefined;
  const declared = nameOf(spec.get('AFRelationship')) === 'C2PA_Manifest';
  const ef = doc.value(spec.get('EF'));
  const target = isDict(ef) ? (ef.get('F') ?? ef.get('UF')) : undefined;
  const object = target instanceof PdfRef ? doc.resolve(target) : undefined;
  const isC2pa = declared || nameOf(object?.stream?.dict.get('Subtype')) === 'application/c2pa';
  if (!isC2pa) return undefined;
  if (!object?.stream) return 'C2PA manifest file specification without a readable embedded file';
  return object;
}

/**
 * In file order, a manifest store is only trusted when the file has one revision and a file
 * specification declares it C2PA_Manifest: after an incremental update the current one is for
 * the cross-reference data to say, and a store no /AF names may sit where c2pa-rs does not
 * look. Either way a person decides: unreadable, never no-marker. (MediaPdf.judgeManifest)
 */
function judgeManifest(found: ContainerFindings, referenced: boolean, revisions: number) {
  let why: string | undefined;
  if (!found.manifestStore)
    why = referenced
      ? 'C2PA manifest file specification without a readable embedded file'
      : undefined;
  else if (revisions > 1)
    why = `C2PA embedded file in a PDF with ${revisions} revisions (incremental updates)`;
  else if (!referenced)
    why = 'C2PA embedded file that no file specification declares C2PA_Manifest';
  if (why) {
    found.unreadableManifest = why;
    delete found.manifestStore;
  }
}

/**
 * PDF repair path (and the in-org engine's only path, MediaPdf): walks the file's top-level objects in order (every incremental update included), reading
 * each object's dictionary and seeking over stream data by its /Length. A C2PA manifest is an
 * embedded file of subtype application/c2pa (or a file specification whose AFRelationship is
 * C2PA_Manifest); XMP is a /Type /Metadata /Subtype /XML stream. Filtered (compressed) streams
 * and objects inside object streams are not decoded: the note says so.
 */
export function walkPdfInOrder(src: ByteSource): ContainerFindings {
  const found: ContainerFindings = { format: 'pdf', xmp: [], notes: [] };
  let pos = 0;
  let objects = 0;
  let manifestReferenced = false;
  let revisions = 0;
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
      // Each revision of the file ends with its startxref: count those the walk passes over.
      revisions += (next < 0 ? window : window.slice(0, next)).split('startxref').length - 1;
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
  judgeManifest(found, manifestReferenced, revisions);

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
      // c2pa-rs reads the embedded file's bytes as stored, filter or not: so does this walk.
      if (filtered) found.notes.push('C2PA manifest stream read as stored (filter not applied)');
      found.manifestStore ??= src.read(stream.start, stream.end - stream.start);
    } else if (stream && has(dict, 'Type', 'Metadata') && has(dict, 'Subtype', 'XML')) {
      if (filtered) found.notes.push('compressed XMP metadata stream not read');
      else found.xmp.push(src.read(stream.start, stream.end - stream.start).toString('utf8'));
    }
  }
}
